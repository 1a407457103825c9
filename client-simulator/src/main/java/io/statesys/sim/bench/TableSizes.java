package io.statesys.sim.bench;

import java.io.PrintStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The sizes of the tables a backlog churns, with their dead rows and — where the pgstattuple
 * extension can be had — the share of each table that is dead rows or free space (the bloat
 * autovacuum is there to keep down). Printed before and after a drain.
 */
final class TableSizes {
    static final String[] TABLES = {"inbox", "topic_state", "client_message_stats", "missing_range"};

    private static final String SIZES = """
            SELECT c.relname, pg_total_relation_size(c.oid) AS total, pg_relation_size(c.oid) AS heap,
                   coalesce(s.n_live_tup, 0) AS live, coalesce(s.n_dead_tup, 0) AS dead,
                   s.last_autovacuum, s.autovacuum_count
            FROM pg_class c LEFT JOIN pg_stat_user_tables s ON s.relid = c.oid
            WHERE c.relname = ? AND c.relkind = 'r'""";

    private TableSizes() {
    }

    /** Whether bloat can be measured exactly: pgstattuple ships with PostgreSQL, creating it needs a superuser. */
    static boolean pgstattuple(Connection c) {
        try (Statement st = c.createStatement()) {
            st.execute("CREATE EXTENSION IF NOT EXISTS pgstattuple");
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    static void print(Connection c, String when, boolean exact, PrintStream out) throws SQLException {
        out.printf("  tables %s:%n", when);
        out.printf("    %-22s %10s %10s %12s %12s %8s %8s %s%n", "table", "total MiB", "heap MiB", "live rows", "dead rows",
                "dead %", "free %", "autovacuum runs");
        for (String t : TABLES) {
            try (PreparedStatement ps = c.prepareStatement(SIZES)) {
                ps.setString(1, t);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        continue;
                    }
                    String dead = "–";
                    String free = "–";
                    if (exact) {
                        // exact, and it reads the whole table: only for a benchmark, never on a schedule
                        try (Statement st = c.createStatement();
                             ResultSet b = st.executeQuery("SELECT dead_tuple_percent, free_percent FROM pgstattuple('" + t + "')")) {
                            b.next();
                            dead = String.format("%.1f", b.getDouble(1));
                            free = String.format("%.1f", b.getDouble(2));
                        }
                    }
                    out.printf("    %-22s %10.1f %10.1f %,12d %,12d %8s %8s %d%n", t, rs.getLong("total") / 1048576.0,
                            rs.getLong("heap") / 1048576.0, rs.getLong("live"), rs.getLong("dead"), dead, free, rs.getLong("autovacuum_count"));
                }
            }
        }
    }

    /** The server's autovacuum switch and the per-table settings the schema gives the churned tables. */
    static void printSettings(Connection c, PrintStream out) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT current_setting('autovacuum'), current_setting('autovacuum_naptime'), current_setting('shared_buffers'), "
                        + "current_setting('max_wal_size')")) {
            rs.next();
            out.printf("  server: autovacuum %s (naptime %s), shared_buffers %s, max_wal_size %s%n", rs.getString(1), rs.getString(2),
                    rs.getString(3), rs.getString(4));
        }
        for (String t : TABLES) {
            try (PreparedStatement ps = c.prepareStatement("SELECT array_to_string(reloptions, ', ') FROM pg_class WHERE relname = ? AND relkind = 'r'")) {
                ps.setString(1, t);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next() && rs.getString(1) != null) {
                        out.printf("  %s: %s%n", t, rs.getString(1));
                    }
                }
            }
        }
    }
}
