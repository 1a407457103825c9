package io.statesys.resync;

import io.quarkus.test.junit.QuarkusIntegrationTest;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

/** The resync service as a native executable: its Panache queries, admin calls and refusals. */
@QuarkusIntegrationTest
class NativeResyncIT {

    @Test
    void outstandingResyncsAreCounted() {
        given().get("/api/v1/resync/outstanding").then().statusCode(200).body("issuedNotCompleted", equalTo(0));
    }

    @Test
    void aCheckRunsOnDemandWithTheAdminToken() {
        given().header("Authorization", "Bearer test-admin-token").post("/api/v1/resync/check").then().statusCode(200)
                .body("issued", equalTo(0));
        given().post("/api/v1/resync/check").then().statusCode(401);
    }

    @Test
    void anEnrolmentTokenIsMadeOnlyWithTheAdminToken() {
        given().header("Authorization", "Bearer test-admin-token").contentType("application/json").body("{\"validFor\":\"P1D\"}")
                .post("/api/v1/enrolment-tokens").then().statusCode(201).body("token", notNullValue());
        given().contentType("application/json").body("{\"validFor\":\"P1D\"}").post("/api/v1/enrolment-tokens").then().statusCode(401);
    }
}
