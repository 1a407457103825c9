package io.statesys.relay.ingest;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.statesys.testing.Reports;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

/** Migrations run against the real database; the relay's own connections point where nothing listens. */
@QuarkusTest
@TestProfile(DatabaseDownTest.UnreachableDatabase.class)
class DatabaseDownTest {

    public static class UnreachableDatabase implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.datasource.reactive.url", "postgresql://127.0.0.1:1/statesys",
                    "quarkus.datasource.reactive.reconnect-attempts", "0");
        }
    }

    @Test
    void anUnavailableDatabaseIs503WithRetryAfter() {
        given().contentType("text/xml").body(Reports.forNewClient().detections(1, 2, Instant.now()).utf16())
                .when().post("/api/v1/statemessages").then()
                .statusCode(503)
                .header("Retry-After", notNullValue())
                .body("error", equalTo("database_unavailable"));
    }

    @Test
    void readinessIsDownWhileTheDatabaseIsUnreachable() {
        given().get("/q/health/ready").then().statusCode(503);
    }

    @Test
    void policyReadsAre503Too() {
        given().get("/api/v1/clients/{id}/policy", Reports.CONTRACT_CLIENT).then().statusCode(503).header("Retry-After", notNullValue());
    }
}
