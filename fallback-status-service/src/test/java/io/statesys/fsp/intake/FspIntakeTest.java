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
        given().contentType("text/xml").body(new byte[4 * 1024 * 1024 + 1]).post("/api/v1/statemessages").then()
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
