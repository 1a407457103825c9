package io.statesys.fsp;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;

@QuarkusTest
class HealthTest {

    @Test
    void startsMigratedAndReady() {
        given().get("/q/health/ready").then().statusCode(200).body(containsString("UP"));
        given().get("/q/health/live").then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200);
    }
}
