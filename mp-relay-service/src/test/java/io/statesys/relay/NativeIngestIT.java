package io.statesys.relay;

import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.statesys.testing.Reports;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

/**
 * The relay's ingress as a native executable: the hardened XML reader, the encodings, the body
 * limit and the inbox's one-statement commit are what native compilation could break.
 */
@QuarkusIntegrationTest
class NativeIngestIT {

    @Test
    void theContractExampleInUtf16IsCommittedAndAnswered202() {
        given().contentType("text/xml").body(Reports.utf16(Reports.contractExample())).post("/api/v1/statemessages")
                .then().statusCode(202).body("messages", equalTo(1)).body("clientId", equalTo(Reports.CONTRACT_CLIENT));
    }

    @Test
    void aDoctypeIsRefusedWithTheErrorJson() {
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><Report>&x;</Report>";
        given().contentType("text/xml").body(xxe.getBytes(StandardCharsets.UTF_8)).post("/api/v1/statemessages")
                .then().statusCode(400).body("error", equalTo("invalid_report"));
    }

    @Test
    void aBodyOverTheLimitIs413WithTheErrorJson() {
        byte[] big = new byte[9 * 1024 * 1024];
        java.util.Arrays.fill(big, (byte) ' ');
        given().contentType("text/xml").body(big).post("/api/v1/statemessages")
                .then().statusCode(413).body("error", equalTo("report_too_large"));
    }
}
