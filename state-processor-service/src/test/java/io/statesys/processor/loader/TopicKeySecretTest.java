package io.statesys.processor.loader;

import io.quarkus.test.junit.QuarkusTest;
import io.statesys.processor.InboxFixture;
import io.statesys.testing.FreshDatabase;
import io.statesys.testing.SchemaMigrations;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.UUID;

import static io.statesys.processor.InboxFixture.detection;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A topic's key cannot be computed outside its database, so nobody can choose a topic whose key is
 * another topic's of the same client: the key is keyed by a secret each database draws when it is
 * migrated (V20), not PostgreSQL's public hash.
 */
@QuarkusTest
class TopicKeySecretTest {
    private static final String KB = "21e49ac6-a273-4a61-9794-eb675bc743e5";

    @Inject
    InboxFixture inbox;
    @Inject
    Loader loader;

    @Test
    void theTopicKeyIsNotPostgreSQLsPublicHashOfTheTopic() {
        for (String topic : new String[] {KB, "kb-1", "ScopeId_1/SUMDB_1", ""}) {
            assertThat(inbox.count("SELECT count(*) WHERE topic_key(500, $1) = hashtextextended($1, 500)", topic)).as(topic).isZero();
        }
    }

    @Test
    void idsThatDifferOnlyInBackslashesOrTheirEscapesHaveDifferentKeys() {
        String[][] pairs = {{"a\\b", "a\\\\b"}, {"a\\101", "aA"}, {"\\x41", "A"}, {"é", "e"}, {"kb-1", "kb-1 "}};
        for (String[] p : pairs) {
            assertThat(inbox.count("SELECT count(*) WHERE topic_key(500, $1) = topic_key(500, $2)", p[0], p[1])).as(p[0] + " / " + p[1]).isZero();
        }
        assertThat(inbox.count("SELECT count(*) WHERE topic_key(500, $1) = topic_key(501, $1)", "kb-1")).isZero();
    }

    @Test
    void twoDatabasesGiveOneTopicDifferentKeysAndEachLoadsWithItsOwn() throws Exception {
        String other = FreshDatabase.create();
        try {
            // a site that held latest states before V20: its rows are re-keyed by the migration
            migrate(other, "19");
            try (Connection c = DriverManager.getConnection(FreshDatabase.jdbcUrl(other), FreshDatabase.user(), FreshDatabase.password())) {
                c.createStatement().execute("INSERT INTO topic_state (client_id, topic_type, topic_id, topic_key, id_type, state_id, message_time) "
                        + "VALUES ('" + UUID.randomUUID() + "', 500, '" + KB + "', hashtextextended('" + KB + "', 500), 3, 2, now())");
                migrate(other, "latest");
                long here = inbox.count("SELECT topic_key(500, $1)", KB);
                try (PreparedStatement s = c.prepareStatement("SELECT topic_key(500, ?), (SELECT topic_key FROM topic_state)")) {
                    s.setString(1, KB);
                    try (ResultSet r = s.executeQuery()) {
                        r.next();
                        assertThat(r.getLong(1)).isNotEqualTo(here).isEqualTo(r.getLong(2));
                    }
                }
            }
        } finally {
            FreshDatabase.drop(other);
        }
        UUID client = UUID.randomUUID();
        inbox.put(client, java.util.List.of(detection(1, KB, 2, java.time.Instant.now())));
        loader.drainNow();
        assertThat(inbox.count("SELECT count(*) FROM topic_state WHERE client_id = $1 AND topic_key = topic_key(500, $2)", client, KB)).isOne();
    }

    private static void migrate(String database, String target) {
        SchemaMigrations.of(FreshDatabase.jdbcUrl(database), FreshDatabase.user(), FreshDatabase.password(), "S02")
                .target(target).load().migrate();
    }

    @Test
    void rowsOfAnotherSiteKeepTheKeysTheyArrivedWith() {
        // at a parent, a descendant's rows carry that site's keys: the constraint checks only this site's
        UUID client = UUID.randomUUID();
        inbox.query("INSERT INTO topic_state (client_id, site_code, topic_type, topic_id, topic_key, id_type, state_id, message_time) "
                + "VALUES ($1, 'ZZ9', 500, 'kb-1', 42, 3, 2, now())", io.vertx.mutiny.sqlclient.Tuple.of(client));
        assertThat(inbox.count("SELECT count(*) FROM topic_state WHERE client_id = $1", client)).isOne();
        inbox.query("DELETE FROM topic_state WHERE client_id = $1", io.vertx.mutiny.sqlclient.Tuple.of(client));
    }
}
