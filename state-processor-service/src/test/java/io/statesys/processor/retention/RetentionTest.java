package io.statesys.processor.retention;

import io.quarkus.test.junit.QuarkusTest;
import io.statesys.processor.InboxFixture;
import io.statesys.processor.loader.Loader;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static io.statesys.processor.InboxFixture.detection;
import static org.assertj.core.api.Assertions.assertThat;

/** Nothing grows forever: inactive clients are retired whole, old diagnostics pruned, every run audited by count. */
@QuarkusTest
class RetentionTest {
    private static final String KB = "21e49ac6-a273-4a61-9794-eb675bc743e5";

    @Inject
    Retention retention;

    @Inject
    Loader loader;

    @Inject
    InboxFixture inbox;

    @Inject
    Pool pool;

    /** A client with two topics and a gap (serials 1, 2 and 5), loaded, then last heard from {@code daysAgo} days ago. */
    private UUID clientLastSeen(int daysAgo) {
        UUID c = UUID.randomUUID();
        Instant t = Instant.now().minusSeconds(3600);
        inbox.put(c, List.of(detection(1, KB, 2, t), detection(2, "other", 2, t), detection(5, "third", 2, t)));
        loader.drainNow();
        inbox.query("UPDATE client_message_stats SET last_seen = now() - make_interval(days => $2) WHERE client_id = $1",
                Tuple.of(c, daysAgo));
        return c;
    }

    private long count(String sql, UUID client) {
        return inbox.count(sql, client);
    }

    @Test
    void aClientNotHeardFromForNinetyDaysIsRetiredWholeAndAnActiveOneIsKept() {
        retention.runNow(); // whatever earlier tests left
        UUID gone = clientLastSeen(91);
        UUID active = clientLastSeen(89);
        inbox.query("INSERT INTO resync_request (client_id) VALUES ($1)", Tuple.of(gone));

        Retention.Run run = retention.runNow();

        assertThat(run.skipped()).isFalse();
        assertThat(run.clientsRetired()).isEqualTo(1);
        assertThat(run.statesRemoved()).isEqualTo(3);
        assertThat(run.rangesRemoved()).isEqualTo(1);
        assertThat(run.resyncsRemoved()).isEqualTo(1);
        for (String table : new String[] {"client_message_stats", "topic_state", "missing_range", "resync_request"}) {
            assertThat(count("SELECT count(*) FROM " + table + " WHERE client_id = $1", gone)).as(table).isZero();
        }
        assertThat(count("SELECT count(*) FROM topic_state WHERE client_id = $1", active)).isEqualTo(3);
        assertThat(count("SELECT count(*) FROM missing_range WHERE client_id = $1", active)).isEqualTo(1);
        Row audit = inbox.query("SELECT * FROM retention_run ORDER BY id DESC LIMIT 1").iterator().next();
        assertThat(audit.getLong("clients_retired")).isEqualTo(1);
        assertThat(audit.getLong("states_removed")).isEqualTo(3);
    }

    @Test
    void aDescendantSitesClientIsRetiredAtItsOwnSiteNeverHere() {
        retention.runNow();
        UUID theirs = clientLastSeen(120);
        // as if replicated up from child site PS9: its rows are read-only here
        for (String table : new String[] {"client_message_stats", "topic_state", "missing_range"}) {
            inbox.query("UPDATE " + table + " SET site_code = 'PS9' WHERE client_id = $1", Tuple.of(theirs));
        }

        Retention.Run run = retention.runNow();

        assertThat(run.clientsRetired()).isZero();
        assertThat(count("SELECT count(*) FROM client_message_stats WHERE client_id = $1", theirs)).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM topic_state WHERE client_id = $1", theirs)).isEqualTo(3);
    }

    @Test
    void resyncOrdersBetweenSitesAreKeptAsLongAsResyncHistory() {
        retention.runNow();
        UUID c = UUID.randomUUID();
        inbox.query("""
                INSERT INTO resync_order (ordered_by, site_code, client_id, ordered_at) VALUES
                    ('CAS', 'PS9', $1, now() - interval '91 days'), ('CAS', 'PS9', $1, now() - interval '1 day')""", Tuple.of(c));

        Retention.Run run = retention.runNow();

        assertThat(run.resyncHistoryRemoved()).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM resync_order WHERE client_id = $1 AND ordered_at > now() - interval '2 days'", c)).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM resync_order WHERE client_id = $1", c)).isEqualTo(1);
    }

    @Test
    void aReportReplayedAfterItsClientWasRetiredIsAllDuplicatesAndBringsNoOldStateBack() {
        UUID back = clientLastSeen(120);
        retention.runNow();
        assertThat(count("SELECT count(*) FROM topic_state WHERE client_id = $1", back)).isZero();
        // the client's own old report, replayed within the signature window
        Instant t = Instant.now().minusSeconds(3600);
        inbox.put(back, List.of(detection(1, KB, 2, t), detection(2, "other", 2, t), detection(5, "third", 2, t)));
        loader.drainNow();

        Row stats = inbox.stats(back);
        assertThat(stats.getLong("duplicates")).isEqualTo(3);
        assertThat(stats.getLong("highest_serial")).isEqualTo(5);
        assertThat(count("SELECT count(*) FROM topic_state WHERE client_id = $1", back)).isZero();
        // a new serial past the one it had is taken, and what lies between is a gap
        inbox.put(back, List.of(detection(9, KB, 3, Instant.now())));
        loader.drainNow();
        assertThat(inbox.state(back, 500, KB).getInteger("state_id")).isEqualTo(3);
        assertThat(inbox.ranges(back)).containsExactly(new long[] {6, 8});
    }

    @Test
    void aClientRetiredLongerAgoThanAReplayCouldBeSignedStartsAfresh() {
        UUID back = clientLastSeen(120);
        retention.runNow();
        inbox.query("UPDATE retired_serial SET retired_at = now() - interval '3 days' WHERE client_id = $1", Tuple.of(back));
        inbox.put(back, List.of(detection(9, KB, 3, Instant.now())));
        loader.drainNow();

        Row stats = inbox.stats(back);
        assertThat(stats.getLong("lowest_serial")).isEqualTo(9);
        assertThat(stats.getLong("messages")).isEqualTo(1);
        assertThat(inbox.ranges(back)).isEmpty();
        retention.runNow();
        assertThat(count("SELECT count(*) FROM retired_serial WHERE client_id = $1", back)).isZero();
    }

    @Test
    void diagnosticsAndHistoryPastTheirAgeArePrunedAndRecentOnesKept() {
        retention.runNow();
        UUID c = UUID.randomUUID();
        inbox.query("""
                INSERT INTO invalid_record (client_id, failed_at, reason) VALUES
                    ($1, now() - interval '31 days', 'old'), ($1, now() - interval '1 day', 'recent')""", Tuple.of(c));
        inbox.query("""
                INSERT INTO fsp_dead_letter (client_id, received_at, dead_at, message_count, payload) VALUES
                    ($1, now(), now() - interval '31 days', 1, '\\x00'), ($1, now(), now(), 1, '\\x00')""", Tuple.of(c));
        inbox.query("""
                INSERT INTO resync_request (client_id, issued_at, completed_at) VALUES
                    ($1, now() - interval '100 days', now() - interval '91 days')""", Tuple.of(c));
        inbox.query("""
                INSERT INTO bad_report (service, reason, received_at) VALUES
                    ('test', 'old', now() - interval '8 days'), ('test', 'recent', now())""", Tuple.tuple());

        Retention.Run run = retention.runNow();

        assertThat(run.invalidRemoved()).isEqualTo(1);
        assertThat(run.deadLettersRemoved()).isEqualTo(1);
        assertThat(run.resyncHistoryRemoved()).isEqualTo(1);
        assertThat(run.badReportsRemoved()).isGreaterThanOrEqualTo(1);
        assertThat(count("SELECT count(*) FROM invalid_record WHERE client_id = $1", c)).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM fsp_dead_letter WHERE client_id = $1", c)).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM resync_request WHERE client_id = $1", c)).isZero();
        assertThat(inbox.count("SELECT count(*) FROM bad_report WHERE reason = 'recent'")).isGreaterThanOrEqualTo(1);
    }

    @Test
    void aRegistrationLeftPendingPastItsExpiryIsForgottenAndTheRelaysAreTold() {
        UUID stale = UUID.randomUUID();
        UUID fresh = UUID.randomUUID();
        UUID approved = UUID.randomUUID();
        inbox.query("""
                INSERT INTO client_identity (client_id, algorithm, public_key, key_fingerprint, status, registered_at) VALUES
                    ($1, 'ed25519', '\\x00', 'a', 'pending', now() - interval '8 days'),
                    ($2, 'ed25519', '\\x00', 'b', 'pending', now() - interval '1 day'),
                    ($3, 'ed25519', '\\x00', 'c', 'approved', now() - interval '80 days')""", Tuple.of(stale, fresh, approved));
        retention.runNow();
        assertThat(count("SELECT count(*) FROM client_identity WHERE client_id = $1", stale)).isZero();
        assertThat(count("SELECT count(*) FROM client_identity_reset WHERE client_id = $1", stale)).isOne();
        assertThat(count("SELECT count(*) FROM client_identity WHERE client_id = $1", fresh)).isOne();
        assertThat(count("SELECT count(*) FROM client_identity WHERE client_id = $1", approved)).isOne();
    }

    @Test
    void whileAnotherReplicaRunsRetentionThisOneSkips() {
        SqlConnection other = pool.getConnection().await().indefinitely();
        try {
            other.query("SELECT pg_advisory_lock(hashtext('statesys.retention'))").execute().await().indefinitely();
            UUID c = clientLastSeen(200);

            assertThat(retention.runNow().skipped()).isTrue();
            assertThat(count("SELECT count(*) FROM client_message_stats WHERE client_id = $1", c)).isEqualTo(1);
        } finally {
            other.query("SELECT pg_advisory_unlock(hashtext('statesys.retention'))").execute().await().indefinitely();
            other.close().await().indefinitely();
        }
    }
}
