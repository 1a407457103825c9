package io.statesys.sim.bench;

import io.statesys.sim.simulate.Simulation;

import java.io.PrintStream;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;

/**
 * What the PostgreSQL server did during the clock that the services do not control but that moves
 * their latency: checkpoints (each is followed by full-page images in the WAL, so for a while every
 * commit flushes more) and the WAL written per message; with the server settings that decide them.
 * The relay answers a report only after its commit's WAL flush, so two runs of the same code differ
 * by a checkpoint falling in the clock or not. The counters are the server's
 * (every database on it), read at the start of the clock and at the drain.
 */
final class ServerActivity implements Simulation.Phases {
    /** pg_stat_checkpointer is PostgreSQL 17's; before it the checkpoint counters were pg_stat_bgwriter's. */
    static final String SNAPSHOT_BEFORE_17 = """
            SELECT b.checkpoints_timed, b.checkpoints_req, w.wal_bytes, w.wal_fpi, w.wal_buffers_full
            FROM pg_stat_bgwriter b, pg_stat_wal w""";
    static final String SNAPSHOT_FROM_17 = """
            SELECT c.num_timed, c.num_requested, w.wal_bytes, w.wal_fpi, w.wal_buffers_full
            FROM pg_stat_checkpointer c, pg_stat_wal w""";
    static final String SETTINGS = """
            SELECT current_setting('max_wal_size'), current_setting('checkpoint_timeout'), current_setting('wal_compression'),
                   current_setting('shared_buffers'), current_setting('synchronous_commit'), current_setting('server_version_num')::int""";

    /** Cumulative server counters at one moment. */
    record Snapshot(long checkpointsTimed, long checkpointsRequested, double walBytes, long fullPageImages, long walBuffersFull) {
        Snapshot minus(Snapshot earlier) {
            return new Snapshot(checkpointsTimed - earlier.checkpointsTimed, checkpointsRequested - earlier.checkpointsRequested,
                    walBytes - earlier.walBytes, fullPageImages - earlier.fullPageImages, walBuffersFull - earlier.walBuffersFull);
        }
    }

    record Settings(String maxWalSize, String checkpointTimeout, String walCompression, String sharedBuffers, String synchronousCommit) {
    }

    private final String jdbc;
    private final String user;
    private final String password;
    private Settings settings;
    /** {@code server_version_num}, read with the settings at the start: it picks the snapshot's query. */
    private int version;
    private Snapshot start;
    private Snapshot end;

    ServerActivity(String jdbc, String user, String password) {
        this.jdbc = jdbc;
        this.user = user;
        this.password = password;
    }

    /** Settings, version and the first counters on one connection: the start of the clock opens one, not two. */
    @Override
    public void started() {
        try (Connection c = connect()) {
            readSettings(c);
            start = snapshot(c);
        } catch (SQLException e) {
            System.err.println("server statistics not read: " + e.getMessage());
        }
    }

    @Override
    public void drained() {
        if (start == null) {
            return;
        }
        try (Connection c = connect()) {
            end = snapshot(c);
        } catch (SQLException e) {
            System.err.println("server statistics not read: " + e.getMessage());
        }
    }

    /** The line the bench prints; says so when the server could not be read. */
    static String line(Snapshot clock, long messages, Settings s) {
        if (clock == null || s == null) {
            return "unknown (the server's statistics could not be read)";
        }
        long checkpoints = clock.checkpointsTimed() + clock.checkpointsRequested();
        return String.format(Locale.ROOT,
                "%d checkpoint%s in the clock (%d timed, %d requested: WAL volume or a command), WAL %,.0f bytes/message, %,d full-page images,"
                        + " %,d waits for a full WAL buffer (max_wal_size %s, checkpoint_timeout %s, wal_compression %s,"
                        + " shared_buffers %s, synchronous_commit %s)",
                checkpoints, checkpoints == 1 ? "" : "s", clock.checkpointsTimed(), clock.checkpointsRequested(), messages == 0 ? 0.0 : clock.walBytes() / messages,
                clock.fullPageImages(), clock.walBuffersFull(), s.maxWalSize(), s.checkpointTimeout(), s.walCompression(),
                s.sharedBuffers(), s.synchronousCommit());
    }

    void print(PrintStream out, long messages) {
        out.println("  PostgreSQL      " + line(start == null || end == null ? null : end.minus(start), messages, settings));
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbc, user, password);
    }

    /** The settings the line names, and the server's version (it picks the snapshot's query). */
    private void readSettings(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(SETTINGS)) {
            rs.next();
            settings = new Settings(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5));
            version = rs.getInt(6);
        }
    }

    private Snapshot snapshot(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(version >= 170000 ? SNAPSHOT_FROM_17 : SNAPSHOT_BEFORE_17)) {
            rs.next();
            return new Snapshot(rs.getLong(1), rs.getLong(2), rs.getDouble(3), rs.getLong(4), rs.getLong(5));
        }
    }

    /** For a test: one snapshot of the server as it is now. */
    static Snapshot now(String jdbc, String user, String password) {
        ServerActivity a = new ServerActivity(jdbc, user, password);
        a.started();
        return a.start;
    }
}
