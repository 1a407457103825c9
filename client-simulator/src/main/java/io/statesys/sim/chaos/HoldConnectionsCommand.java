package io.statesys.sim.chaos;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code statesys-sim chaos hold-connections}: takes every connection the server will still give
 * (until it answers 53300 "too many clients"), holds them, then lets them go. Run as a superuser
 * it also takes the reserved slots: nothing new can connect while it holds — what a database at
 * {@code max_connections} looks like to a service starting or checking its readiness.
 */
@Command(name = "hold-connections", mixinStandardHelpOptions = true,
        description = "Opens database connections until the server refuses more, holds them, releases them.")
public final class HoldConnectionsCommand implements Callable<Integer> {
    @picocli.CommandLine.Mixin
    io.statesys.sim.DatabaseOptions db;

    @Option(names = "--hold", defaultValue = "PT15S", description = "how long to hold them (default ${DEFAULT-VALUE})")
    Duration hold;

    @Option(names = "--max", defaultValue = "1000", description = "never more than this many (default ${DEFAULT-VALUE})")
    int max;

    @Override
    public Integer call() throws Exception {
        List<Connection> held = new ArrayList<>();
        String refusal = "cap of " + max + " reached";
        try {
            while (held.size() < max) {
                try {
                    held.add(DriverManager.getConnection(db.jdbc, db.user, db.password));
                } catch (SQLException e) {
                    refusal = e.getSQLState() + " " + e.getMessage();
                    break;
                }
            }
            // scripts wait for this line
            System.out.printf("holding %d connections (the server then said: %s)%n", held.size(), refusal);
            System.out.flush();
            Thread.sleep(hold.toMillis());
        } finally {
            for (Connection c : held) {
                try {
                    c.close();
                } catch (SQLException ignored) {
                    // releasing is all that matters
                }
            }
        }
        System.out.printf("released %d connections%n", held.size());
        return held.isEmpty() ? 1 : 0;
    }
}
