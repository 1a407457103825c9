package io.statesys.sim;

import picocli.CommandLine.Option;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/** The Statesys database, for commands that read or seed it directly. */
public final class DatabaseOptions {
    @Option(names = "--jdbc", defaultValue = "jdbc:postgresql://127.0.0.1:5432/statesys", description = "the Statesys database (default ${DEFAULT-VALUE})")
    public String jdbc;

    @Option(names = "--db-user", defaultValue = "postgres")
    public String user;

    @Option(names = "--db-password", defaultValue = "postgres")
    public String password;

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbc, user, password);
    }

    /**
     * For filling the inbox in bulk: the driver sends a batch as multi-row INSERTs. Each inbox
     * statement updates the inbox's tally (V28), and one transaction updating the same tally row a
     * hundred thousand times walks an ever longer chain of its own row versions.
     */
    public Connection connectForBulkInserts() throws SQLException {
        java.util.Properties p = new java.util.Properties();
        p.setProperty("user", user);
        p.setProperty("password", password);
        p.setProperty("reWriteBatchedInserts", "true");
        return DriverManager.getConnection(jdbc, p);
    }
}
