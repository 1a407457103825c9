package io.statesys.fsp.status;

import io.quarkus.test.junit.QuarkusTest;
import io.statesys.testing.FullServer;
import io.statesys.testing.Reports;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.time.Instant;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.hasItems;

/**
 * The FSP's twin of the relay's test: a database at max_connections must not turn a working FSP
 * not-ready. Its readiness runs two checks at once (the database, the queue); with one pooled
 * connection the queue's check needed a second, the full server refused it (53300), and the
 * queue check said down — the fault suite's connection-exhaustion scenario caught it. Under test the
 * pool closes idle connections after a second (application.properties), so when the server fills up the pool holds none
 * and both checks meet the refusal.
 */
@QuarkusTest
class ReadinessAtMaxConnectionsTest {
    @Test
    void aFullDatabaseServerLeavesAWorkingFspReady() throws Exception {
        given().get("/q/health/ready").then().statusCode(200);
        given().contentType("text/xml").body(Reports.forNewClient().detections(2, 3, Instant.now()).utf16())
                .post("/api/v1/statemessages").then().statusCode(202);
        given().get("/q/health/ready").then().statusCode(200); // the database answered just now
        Thread.sleep(2500); // the pool's connections close as idle

        List<Connection> held = FullServer.takeEveryFreeConnection();
        try {
            assertThat(held).as("connections taken until the server refused").isNotEmpty();
            for (int probe = 0; probe < 10; probe++) {
                given().get("/q/health/ready").then().statusCode(200)
                        .body("checks.name", hasItems("database", "fsp-queue"));
            }
        } finally {
            for (Connection c : held) {
                c.close();
            }
        }
        given().get("/q/health/ready").then().statusCode(200);
    }
}
