package io.statesys.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Gives a Quarkus test run its own new database on the real local Postgres (no Dev Services, no
 * Docker), drops it afterwards, and removes databases older test runs left behind when killed.
 * Server and credentials follow the same environment as the services ({@code STATESYS_DB_HOST}, …).
 */
public class FreshDatabase implements QuarkusTestResourceLifecycleManager {
    private static final String PREFIX = "statesys_test_";
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMddHHmmss");

    private String name;

    public static String host() {
        return LocalServer.host();
    }

    public static String port() {
        return String.valueOf(LocalServer.port());
    }

    public static String user() {
        return LocalServer.user();
    }

    public static String password() {
        return LocalServer.password();
    }

    public static String jdbcUrl(String database) {
        return LocalServer.jdbcUrl(database);
    }

    /** Creates a new empty database and returns its name. */
    public static String create() {
        String db = PREFIX + LocalDateTime.now().format(STAMP) + "_" + Integer.toHexString(ThreadLocalRandom.current().nextInt(1 << 24));
        try (Connection c = admin(); Statement s = c.createStatement()) {
            dropStale(c);
            s.execute("CREATE DATABASE " + db);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test database on " + host() + ":" + port()
                    + " (is Postgres running? ./statesys test starts it): " + e.getMessage(), e);
        }
        return db;
    }

    public static void drop(String database) {
        try (Connection c = admin(); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        } catch (SQLException e) {
            System.err.println("could not drop test database " + database + ": " + e.getMessage());
        }
    }

    @Override
    public Map<String, String> start() {
        name = create();
        String hostPort = host() + ":" + port();
        return Map.of(
                "quarkus.datasource.jdbc.url", "jdbc:postgresql://" + hostPort + "/" + name,
                "quarkus.datasource.reactive.url", "postgresql://" + hostPort + "/" + name,
                "statesys.db.name", name);
    }

    @Override
    public void stop() {
        if (name != null) {
            drop(name);
        }
    }

    private static Connection admin() throws SQLException {
        return DriverManager.getConnection(jdbcUrl("postgres"), user(), password());
    }

    /** Databases of runs that died more than a day ago (their names carry their creation time). */
    private static void dropStale(Connection c) throws SQLException {
        String cutoff = PREFIX + LocalDateTime.now().minusDays(1).format(STAMP);
        List<String> stale = new ArrayList<>();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT datname FROM pg_database WHERE datname LIKE '" + PREFIX + "%'")) {
            while (rs.next()) {
                if (rs.getString(1).compareTo(cutoff) < 0) {
                    stale.add(rs.getString(1));
                }
            }
        }
        for (String db : stale) {
            try (Statement s = c.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
            }
        }
    }
}
