package io.statesys.processor.sites;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A subscription's password never reaches PostgreSQL's server log, though its CREATE SUBSCRIPTION
 * fails (a child site that is down fails it once a heartbeat). Read here from the server's own log
 * file (Debian's layout); the control shows that the same failing statement, run plainly, is logged
 * with its password.
 */
@QuarkusTest
class SecretStatementsTest {
    @Inject
    Pool pool;

    @Test
    void aFailingCreateSubscriptionLeavesItsPasswordOutOfTheServerLog() throws Exception {
        String log = serverLog();
        Assumptions.assumeTrue(log != null, "the server's log file is not where Debian keeps it");
        SqlConnection conn = pool.getConnection().await().indefinitely();
        try {
            String plain = "plain-" + UUID.randomUUID();
            String quiet = "quiet-" + UUID.randomUUID();
            long from = size(log);
            assertThatThrownBy(() -> conn.query(subscription("statesys_test_plain", plain)).execute().await().indefinitely());
            assertThatThrownBy(() -> SecretStatements.run(conn, subscription("statesys_test_quiet", quiet)))
                    .hasMessageContaining("could not connect");
            String written = awaitText(log, from, "statesys_test_quiet", quiet);
            assertThat(written).as("the control: a plain failing statement is logged whole").contains(plain);
            assertThat(written).doesNotContain(quiet);
            // the session is as it was: a later failing statement is logged again
            assertThat(conn.query("SHOW log_min_error_statement").execute().await().indefinitely().iterator().next().getString(0))
                    .isNotEqualTo("panic");
        } finally {
            conn.close().await().indefinitely();
        }
    }

    private static String subscription(String name, String password) {
        return "CREATE SUBSCRIPTION " + name + " CONNECTION 'host=127.0.0.1 port=1 dbname=statesys user=statesys_replicator password="
                + password + " connect_timeout=2' PUBLICATION statesys_up";
    }

    /** Debian's pg_ctlcluster writes the server's stderr to /var/log/postgresql/postgresql-<version>-<cluster>.log. */
    private String serverLog() {
        try {
            Row r = pool.query("SELECT '/var/log/postgresql/postgresql-' || replace(current_setting('cluster_name'), '/', '-') || '.log' AS path")
                    .execute().await().indefinitely().iterator().next();
            String path = r.getString("path");
            size(path);
            return path;
        } catch (RuntimeException e) {
            return null;
        }
    }

    private long size(String path) {
        return pool.preparedQuery("SELECT (pg_stat_file($1)).size").execute(Tuple.of(path)).await().indefinitely()
                .iterator().next().getLong(0);
    }

    /** What the log gained since {@code from}, once the second statement's error is in it. */
    private String awaitText(String path, long from, String marker, String secret) throws InterruptedException {
        String text = "";
        for (int i = 0; i < 50; i++) {
            long to = size(path);
            text = pool.preparedQuery("SELECT pg_read_file($1, $2, $3)").execute(Tuple.of(path, from, to - from))
                    .await().indefinitely().iterator().next().getString(0);
            if (text.contains("could not connect") && text.lastIndexOf("could not connect") > text.indexOf("could not connect")) {
                return text;
            }
            Thread.sleep(100);
        }
        return text;
    }
}
