package io.statesys.testing.contract;

import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;

/**
 * What every service promises operators (docs/api.md, "Every service"): it starts migrated and
 * ready, and serves liveness, metrics and its OpenAPI document. A service's {@code @QuarkusTest}
 * extends this.
 */
public abstract class HealthContract {
    @Test
    void startsMigratedAndReady() {
        given().get("/q/health/ready").then().statusCode(200).body(containsString("UP"));
        given().get("/q/health/live").then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200).body(containsString("jvm_"));
        given().get("/q/openapi").then().statusCode(200).body(containsString("openapi"));
    }
}
