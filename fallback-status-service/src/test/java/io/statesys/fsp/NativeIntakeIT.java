package io.statesys.fsp;

import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.statesys.testing.Reports;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;

/** The FSP as a native executable: a report queued durably, a bad one refused, the status served. */
@QuarkusIntegrationTest
class NativeIntakeIT {

    @Test
    void theContractExampleIsQueuedAndCountedInTheStatus() {
        given().contentType("text/xml").body(Reports.utf16(Reports.contractExample())).post("/api/v1/statemessages")
                .then().statusCode(202).body("queued", equalTo(1));
        given().get("/api/v1/fsp/status").then().statusCode(200).body("queued", greaterThanOrEqualTo(1));
    }

    @Test
    void malformedXmlIsRefusedWithTheErrorJson() {
        given().contentType("text/xml").body("<Report><oops").post("/api/v1/statemessages")
                .then().statusCode(400).body("error", equalTo("invalid_report"));
    }
}
