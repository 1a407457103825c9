package io.statesys.testing;

import org.eclipse.microprofile.config.ConfigProvider;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A PostgreSQL server at max_connections, for the readiness tests of the services that must stay ready then. */
public final class FullServer {
    private FullServer() {
    }

    /**
     * Opens connections to the test's database until the server refuses (53300) and returns them
     * for the caller to close. As a superuser, so the reserved slots go too: after this nothing new
     * can connect.
     */
    public static List<Connection> takeEveryFreeConnection() throws SQLException {
        var config = ConfigProvider.getConfig();
        String url = config.getValue("quarkus.datasource.jdbc.url", String.class);
        String user = config.getValue("quarkus.datasource.username", String.class);
        String password = config.getOptionalValue("quarkus.datasource.password", String.class).orElse("");
        List<Connection> held = new ArrayList<>();
        while (held.size() < 2000) {
            try {
                held.add(DriverManager.getConnection(url, user, password));
            } catch (SQLException e) {
                assertThat(e.getSQLState()).as("the server refused with too_many_connections: " + e.getMessage()).isEqualTo("53300");
                return held;
            }
        }
        return held;
    }
}
