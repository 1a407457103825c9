package io.statesys.relay.health;

import io.quarkus.test.junit.QuarkusTest;
import io.statesys.testing.FullServer;
import io.statesys.testing.Reports;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.time.Instant;
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

        List<Connection> held = FullServer.takeEveryFreeConnection();
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
}
