package io.statesys.sim.bench;

import io.statesys.testing.LocalServer;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

class ServerActivityTest {
    private static final ServerActivity.Settings DEV = new ServerActivity.Settings("1GB", "5min", "off", "128MB", "on");

    /** The local server the other suites use (./statesys test starts it), with the same environment overrides. */
    private static final String JDBC = LocalServer.jdbcUrl("postgres");
    private static final String USER = LocalServer.user();
    private static final String PASSWORD = LocalServer.password();

    @Test
    void theLineCountsCheckpointsOfBothKindsAndChargesTheWalToTheMessages() {
        ServerActivity.Snapshot before = new ServerActivity.Snapshot(10, 3, 1_000_000, 500, 0);
        ServerActivity.Snapshot after = new ServerActivity.Snapshot(11, 5, 61_000_000, 20_500, 7);
        assertThat(ServerActivity.line(after.minus(before), 100_000, DEV)).isEqualTo(
                "3 checkpoints in the clock (1 timed, 2 requested: WAL volume or a command), WAL 600 bytes/message, 20,000 full-page images,"
                        + " 7 waits for a full WAL buffer (max_wal_size 1GB, checkpoint_timeout 5min, wal_compression off,"
                        + " shared_buffers 128MB, synchronous_commit on)");
        assertThat(ServerActivity.line(new ServerActivity.Snapshot(0, 1, 0, 0, 0), 0, DEV)).startsWith("1 checkpoint in the clock (0 timed, 1 requested");
    }

    @Test
    void anUnreadServerIsSaidToBeUnknown() {
        assertThat(ServerActivity.line(null, 10, DEV)).startsWith("unknown");
    }

    @Test
    void aCheckpointAndWalWrittenOnTheRealServerShowInTheNextSnapshot() throws Exception {
        ServerActivity.Snapshot before = ServerActivity.now(JDBC, USER, PASSWORD);
        assertThat(before).isNotNull();
        try (Connection c = DriverManager.getConnection(JDBC, USER, PASSWORD); Statement st = c.createStatement()) {
            st.execute("CREATE TEMP TABLE wal_probe (x int)"); // temp: no WAL for its rows, but the catalog's
            st.execute("DROP TABLE wal_probe");
            st.execute("CHECKPOINT"); // needs a superuser or pg_checkpoint, as the suites' user is
            st.execute("SELECT pg_stat_force_next_flush()");
        }
        ServerActivity.Snapshot after = null;
        for (int i = 0; i < 50; i++) { // the checkpointer publishes its counters on its own schedule
            after = ServerActivity.now(JDBC, USER, PASSWORD);
            if (after.minus(before).checkpointsRequested() >= 1) {
                break;
            }
            Thread.sleep(100);
        }
        ServerActivity.Snapshot d = after.minus(before);
        assertThat(d.checkpointsRequested()).isGreaterThanOrEqualTo(1);
        assertThat(d.walBytes()).isGreaterThan(0);
    }
}
