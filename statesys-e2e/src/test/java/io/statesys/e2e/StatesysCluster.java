package io.statesys.e2e;

import io.statesys.testing.FreshDatabase;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A fresh database and the services a test needs, started as real processes, stopped and dropped afterwards. */
public final class StatesysCluster implements AutoCloseable {
    static final String INTERNAL_TOKEN = "e2e-internal-token";
    static final String ADMIN_TOKEN = "e2e-admin-token";

    private final String database;
    private final Map<String, String> env = new HashMap<>();
    private final List<ServiceProcess> processes = new ArrayList<>();

    public StatesysCluster(Map<String, String> settings) {
        this.database = FreshDatabase.create();
        env.put("STATESYS_DB_HOST", FreshDatabase.host());
        env.put("STATESYS_DB_PORT", FreshDatabase.port());
        env.put("STATESYS_DB_USER", FreshDatabase.user());
        env.put("STATESYS_DB_PASSWORD", FreshDatabase.password());
        env.put("STATESYS_DB_NAME", database);
        // identity as in production (enforced), with registrations approved at once unless a test asks for tokens
        env.put("STATESYS_IDENTITY_MODE", "enforce");
        env.put("STATESYS_IDENTITY_APPROVAL", "auto");
        env.put("STATESYS_INTERNAL_TOKEN", INTERNAL_TOKEN);
        env.put("STATESYS_ADMIN_TOKEN", ADMIN_TOKEN);
        env.putAll(settings);
    }

    /** Starts the given modules in parallel and waits until all are ready. */
    public List<ServiceProcess> start(String... modules) throws Exception {
        List<ServiceProcess> started = new ArrayList<>();
        for (String m : modules) {
            ServiceProcess p = ServiceProcess.start(m, env);
            processes.add(p);
            started.add(p);
        }
        for (ServiceProcess p : started) {
            p.awaitReady(Duration.ofSeconds(120));
        }
        return started;
    }

    /** Starts one service on a given port and waits until it is ready. */
    public ServiceProcess startOn(String module, int port, Map<String, String> extra) throws Exception {
        Map<String, String> e = new HashMap<>(env);
        e.putAll(extra);
        ServiceProcess p = ServiceProcess.start(module, e, port);
        processes.add(p);
        return p.awaitReady(Duration.ofSeconds(120));
    }

    public String database() {
        return database;
    }

    public Connection jdbc() throws SQLException {
        return DriverManager.getConnection(FreshDatabase.jdbcUrl(database), FreshDatabase.user(), FreshDatabase.password());
    }

    public long count(String sql) throws SQLException {
        try (Connection c = jdbc(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Override
    public void close() {
        for (ServiceProcess p : processes) {
            p.close();
        }
        FreshDatabase.drop(database);
    }
}
