package io.statesys.testing;

/**
 * The PostgreSQL server the test suites use ({@code ./statesys test} starts it), found through the
 * same environment as the services ({@code STATESYS_DB_HOST}, {@code _PORT}, {@code _USER},
 * {@code _PASSWORD}). Plain Java, so that modules whose tests are not Quarkus tests can use it too.
 */
public final class LocalServer {
    private LocalServer() {
    }

    public static String host() {
        return env("STATESYS_DB_HOST", "127.0.0.1");
    }

    public static int port() {
        return Integer.parseInt(env("STATESYS_DB_PORT", "5432"));
    }

    public static String user() {
        return env("STATESYS_DB_USER", "postgres");
    }

    public static String password() {
        return env("STATESYS_DB_PASSWORD", "postgres");
    }

    public static String jdbcUrl(String database) {
        return "jdbc:postgresql://" + host() + ":" + port() + "/" + database;
    }

    private static String env(String name, String def) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? def : v;
    }
}
