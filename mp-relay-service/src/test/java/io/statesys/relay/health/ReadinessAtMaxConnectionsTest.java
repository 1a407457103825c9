package io.statesys.relay.health;

import io.quarkus.test.junit.QuarkusTest;
import io.statesys.testing.Reports;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.hasItem;

/**
 * Issue 12, item 6: a database at max_connections must not turn a working relay not-ready. Before
 * DatabaseReadiness, Quarkus' JDBC health check opened a fresh connection per probe and answered
 * 503 here while the relay kept accepting reports on the connections its pool held.
 */
@QuarkusTest
class ReadinessAtMaxConnectionsTest {

    @Test
    void aFullDatabaseServerLeavesAWorkingRelayReadyAndAccepting() throws Exception {
        // the relay has answered once: its pool holds a connection
        given().get("/q/health/ready").then().statusCode(200);
        given().contentType("text/xml").body(Reports.forNewClient().detections(2, 3, Instant.now()).utf16())
                .post("/api/v1/statemessages").then().statusCode(202);

        List<Connection> held = takeEveryFreeConnection();
        try {
            assertThat(held).as("connections taken until the server refused").isNotEmpty();
            given().get("/q/health/ready").then().statusCode(200)
                    .body("checks.name", hasItem("database"));
            given().contentType("text/xml").body(Reports.forNewClient().detections(2, 3, Instant.now()).utf16())
                    .post("/api/v1/statemessages").then().statusCode(202);
        } finally {
            for (Connection c : held) {
                c.close();
            }
        }
        given().get("/q/health/ready").then().statusCode(200);
    }

    /** As a superuser, so the reserved slots go too: after this nothing new can connect. */
    private static List<Connection> takeEveryFreeConnection() throws SQLException {
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
