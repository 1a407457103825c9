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
}
