package io.statesys.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The three PostgreSQL clusters of a site hierarchy on this machine (wal_level=logical), made and
 * started by {@code scripts/hierarchy.sh clusters}; each hierarchy test makes its own databases in
 * them (prefix {@value #PREFIX}) and removes them, with their subscriptions and slots, afterwards —
 * and before, in case an earlier run was killed.
 */
final class SiteClusters {
    static final String PREFIX = "statesys_e2e_h";
    static final String USER = "postgres";
    static final String PASSWORD = "postgres";
    /** The role each link logs in as: REPLICATION and SELECT on what is published to it. */
    static final String REPLICATOR = "statesys_e2e_replicator";
    static final String REPLICATOR_PASSWORD = "e2e-replicator";
    /** The role a site's services work as where the test says so: owns its database, no superuser. */
    static final String OWNER = "statesys_e2e_owner";
    static final String OWNER_PASSWORD = "e2e-owner";

    /** The clusters' ports: central, first primary, second primary. */
    static final int[] PORTS = {5441, 5442, 5443};
    /** Held by every test class that uses these clusters: they drop each other's databases. */
    static final String LOCK = "site-clusters";

    private SiteClusters() {
    }

    static void ensureRunning() throws IOException, InterruptedException, SQLException {
        Process p = new ProcessBuilder("bash", ServiceProcess.root().resolve("scripts/hierarchy.sh").toString(), "clusters")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IllegalStateException("scripts/hierarchy.sh clusters failed:\n" + out);
        }
        for (int port : PORTS) {
            sql(port, "postgres", "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '" + REPLICATOR + "') THEN "
                    + "CREATE ROLE " + REPLICATOR + " WITH LOGIN REPLICATION PASSWORD '" + REPLICATOR_PASSWORD + "'; END IF; END $$");
            sql(port, "postgres", "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '" + OWNER + "') THEN "
                    + "CREATE ROLE " + OWNER + " WITH LOGIN NOSUPERUSER PASSWORD '" + OWNER_PASSWORD + "'; END IF; END $$");
        }
    }

    static String createDatabase(int port) throws SQLException {
        String name = PREFIX + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        sql(port, "postgres", "CREATE DATABASE " + name + " OWNER " + OWNER);
        return name;
    }

    static String jdbcUrl(int port, String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    /** How another cluster's subscription reaches this database. */
    static String connection(int port, String database) {
        return "postgresql://" + REPLICATOR + ":" + REPLICATOR_PASSWORD + "@127.0.0.1:" + port + "/" + database;
    }

    static Connection connect(int port, String database) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(port, database), USER, PASSWORD);
    }

    static void sql(int port, String database, String sql) throws SQLException {
        try (Connection c = connect(port, database); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    static List<String> column(int port, String database, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = connect(port, database); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    static long count(int port, String database, String sql) throws SQLException {
        List<String> v = column(port, database, sql);
        return v.isEmpty() || v.get(0) == null ? 0 : Long.parseLong(v.get(0));
    }

    /** Every test database of every cluster, with its subscriptions and the slots that served them. */
    static void dropTestDatabases() throws SQLException {
        for (int port : PORTS) {
            for (String db : column(port, "postgres", "SELECT datname FROM pg_database WHERE datname LIKE '" + PREFIX + "%'")) {
                for (String sub : column(port, db, "SELECT subname FROM pg_subscription s JOIN pg_database d ON d.oid = s.subdbid "
                        + "WHERE d.datname = current_database()")) {
                    // detached from its slot first: the other cluster's database may be gone already
                    sql(port, db, "ALTER SUBSCRIPTION " + sub + " DISABLE");
                    sql(port, db, "ALTER SUBSCRIPTION " + sub + " SET (slot_name = NONE)");
                    sql(port, db, "DROP SUBSCRIPTION " + sub);
                }
            }
        }
        for (int port : PORTS) {
            sql(port, "postgres", "SELECT pg_terminate_backend(active_pid) FROM pg_replication_slots "
                    + "WHERE database LIKE '" + PREFIX + "%' AND active_pid IS NOT NULL");
            for (int attempt = 0; ; attempt++) {
                try {
                    sql(port, "postgres", "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots "
                            + "WHERE database LIKE '" + PREFIX + "%'");
                    break;
                } catch (SQLException stillActive) {
                    if (attempt > 20) {
                        throw stillActive;
                    }
                    sleep(250);
                }
            }
            for (String db : column(port, "postgres", "SELECT datname FROM pg_database WHERE datname LIKE '" + PREFIX + "%'")) {
                sql(port, "postgres", "DROP DATABASE " + db + " WITH (FORCE)");
            }
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
