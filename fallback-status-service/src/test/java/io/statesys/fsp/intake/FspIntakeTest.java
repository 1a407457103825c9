package io.statesys.fsp.intake;

import io.quarkus.test.junit.QuarkusTest;
import io.statesys.testing.Reports;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.notNullValue;

@QuarkusTest
class FspIntakeTest {
    @Inject
    Pool pool;

    @Test
    void aReportIsCommittedToTheQueueMessageByMessageBefore202() {
        Reports r = Reports.forNewClient().detections(1, 4, Instant.now());
        given().contentType("text/xml").body(r.utf16()).post("/api/v1/statemessages").then()
                .statusCode(202).body("queued", equalTo(4));
        long rows = pool.preparedQuery("SELECT count(*) FROM fsp_queue WHERE client_id = $1").execute(Tuple.of(r.client()))
                .await().indefinitely().iterator().next().getLong(0);
        assertThat(rows).isEqualTo(4);
    }

    @Test
    void aScriptResultWithoutSerialKeepsItsStateDetailsSenderAndPriorityInTheQueue() {
        String xml = Reports.resource("reports/cmpivot-result.xml").replace("GUID:6A1E4F3B-2C7D-4E8A-9B0C-1D2E3F4A5B6C",
                io.statesys.core.report.ClientId.format(java.util.UUID.randomUUID()));
        given().contentType("text/xml").body(Reports.utf16(xml)).post("/api/v1/statemessages").then()
                .statusCode(202).body("queued", equalTo(1));
        io.vertx.mutiny.sqlclient.Row row = pool.query("SELECT * FROM fsp_queue WHERE priority = 5 ORDER BY id DESC LIMIT 1")
                .execute().await().indefinitely().iterator().next();
        assertThat(row.getLong("serial_number")).isNull();
        io.statesys.core.inbox.InboxPayload.Contents c =
                io.statesys.core.inbox.InboxPayload.read(row.getBuffer("message").getBytes());
        assertThat(c.messages().get(0).serialNumber()).isNull();
        assertThat(c.messages().get(0).stateDetails().type()).isEqualTo(1);
        assertThat(c.sender().clientInstalled()).isEqualTo(1);
    }

    @Test
    void aPullDistributionPointIsQueuedUnderItsNormalisedIdentity() {
        given().contentType("text/xml").body(Reports.utf16(Reports.resource("reports/pull-dp-status.xml")))
                .post("/api/v1/statemessages").then().statusCode(202).body("clientId", equalTo("GUID:4B1D2C3E-5F60-4718-9A2B-3C4D5E6F7A8B"));
    }

    @Test
    void invalidReportsAreRefusedAsTheRelayRefusesThemAndKept() {
        String bad = Reports.contractExample().replace(" Type=\"500\"", "");
        given().contentType("text/xml").body(Reports.utf16(bad)).post("/api/v1/statemessages").then()
                .statusCode(400).body("error", equalTo("invalid_report")).body("detail", equalTo("StateMessage[1]/Topic/@Type: missing"));
        long kept = pool.query("SELECT count(*) FROM bad_report WHERE service = 'fsp'").execute().await().indefinitely().iterator().next().getLong(0);
        assertThat(kept).isGreaterThanOrEqualTo(1);
    }

    @Test
    void wrongMediaTypeIs415AndOversizedIs413() {
        given().contentType("application/json").body("{}").post("/api/v1/statemessages").then().statusCode(415);
        given().contentType("text/xml").body(new byte[8 * 1024 * 1024 + 1]).post("/api/v1/statemessages").then()
                .statusCode(413).body("error", equalTo("report_too_large"));
    }

    @Test
    void externalEntitiesAreRefused() {
        given().contentType("text/xml").body(Reports.resource("reports/xxe-file.xml").getBytes(StandardCharsets.UTF_8))
                .post("/api/v1/statemessages").then().statusCode(400);
    }

    @Test
    void statusShowsQueueThrottleAndForwarding() {
        given().get("/api/v1/fsp/status").then().statusCode(200)
                .body("queued", greaterThanOrEqualTo(0))
                .body("forwarded", greaterThanOrEqualTo(0))
                .body("throttle.messages", equalTo(50))
                .body("throttle.intervalSeconds", equalTo(5))
                .body("deadLetters", notNullValue());
    }

    @Test
    void readinessIncludesTheQueue() {
        given().get("/q/health/ready").then().statusCode(200).body("checks.name", org.hamcrest.Matchers.hasItem("fsp-queue"));
    }
}
