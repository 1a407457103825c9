package io.statesys.fsp;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.statesys.testing.contract.EveryEndpointWithoutDatabase;
import io.statesys.testing.contract.UnreachableDatabase;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;

/** The database is away: every endpoint answers 503 + Retry-After with the error JSON, and the service is not ready. */
@QuarkusTest
@TestProfile(UnreachableDatabase.class)
class DatabaseDownTest extends EveryEndpointWithoutDatabase {
    @Override
    protected int expectedEndpoints() {
        return 3;
    }

    @Test
    void readinessIsDownWhileTheDatabaseIsUnreachable() {
        given().get("/q/health/ready").then().statusCode(503);
    }
}
