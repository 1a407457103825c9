package io.statesys.processor.views;

import io.quarkus.test.junit.QuarkusTest;
import io.statesys.core.report.ClientId;
import io.statesys.core.report.StateMessage;
import io.statesys.processor.InboxFixture;
import io.statesys.processor.loader.Loader;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

@QuarkusTest
class ReportsApiTest {
    private static final Instant T0 = Instant.parse("2026-11-24T10:14:58Z");

    @Inject
    InboxFixture inbox;

    @Inject
    Loader loader;

    @Test
    void statesListTheLatestStatePerTopicWithItsName() {
        UUID client = UUID.randomUUID();
        inbox.put(client, List.of(new StateMessage(T0, 1043, 500, "21e49ac6-a273-4a61-9794-eb675bc743e5", 3, 2, 0, List.of("102")),
                new StateMessage(T0, 1044, 402, "21e49ac6-a273-4a61-9794-eb675bc743e5", 3, 10, 0, List.of())));
        loader.drainNow();

        given().get("/api/v1/clients/{id}/states", ClientId.format(client)).then()
                .statusCode(200)
                .body("$", hasSize(2))
                .body("[0].topicType", equalTo(402))
                .body("[0].stateName", equalTo("Successfully installed update"))
                .body("[1].topicType", equalTo(500))
                .body("[1].topicId", equalTo("21e49ac6-a273-4a61-9794-eb675bc743e5"))
                .body("[1].idType", equalTo(3))
                .body("[1].stateId", equalTo(2))
                .body("[1].stateName", equalTo("Update is required"))
                .body("[1].criticality", equalTo(0))
                .body("[1].messageTime", equalTo("2026-11-24T10:14:58Z"))
                .body("[1].serialNumber", equalTo(1043))
                .body("[1].userParameters", contains("102"));
    }

    @Test
    void serialsShowHighestCountsAndMissingRanges() {
        UUID client = UUID.randomUUID();
        inbox.put(client, List.of(InboxFixture.detection(1, "a", 2, T0), InboxFixture.detection(4, "b", 2, T0),
                InboxFixture.detection(4, "b", 2, T0)));
        loader.drainNow();

        given().get("/api/v1/clients/{id}/serials", ClientId.format(client)).then()
                .statusCode(200)
                .body("highestSerial", equalTo(4))
                .body("messages", equalTo(2))
                .body("duplicates", equalTo(1))
                .body("missing", hasSize(1))
                .body("missing[0].first", equalTo(2))
                .body("missing[0].last", equalTo(3))
                .body("missing[0].detectedAt", notNullValue())
                .body("lastResyncIssuedTime", nullValue())
                .body("lastResyncClientCompletedTime", nullValue())
                .body("unverified", nullValue());
    }

    @Test
    void aClientWhoseReportsWereTakenUnverifiedIsShownSo() {
        UUID client = UUID.randomUUID();
        inbox.put(client, List.of(InboxFixture.detection(1, "a", 2, T0)));
        loader.drainNow();
        inbox.query("INSERT INTO unverified_client (client_id, reports, last_reason) VALUES ('" + client + "', 3, 'signature_required')");
        given().get("/api/v1/clients/{id}/serials", ClientId.format(client)).then().statusCode(200)
                .body("unverified.reports", equalTo(3))
                .body("unverified.lastReason", equalTo("signature_required"));
    }

    @Test
    void anUnknownClientIs404() {
        String unknown = ClientId.format(UUID.randomUUID());
        given().get("/api/v1/clients/{id}/states", unknown).then().statusCode(404).body("error", equalTo("unknown_client"));
        given().get("/api/v1/clients/{id}/serials", unknown).then().statusCode(404);
    }

    @Test
    void aMalformedClientIdIs400() {
        given().get("/api/v1/clients/{id}/states", "WKS-0042").then().statusCode(400).body("error", equalTo("invalid_client_id"));
    }

    @Test
    void topicSummaryCountsClientsPerState() {
        String update = "summary-" + UUID.randomUUID();
        for (int i = 0; i < 3; i++) {
            inbox.put(UUID.randomUUID(), List.of(InboxFixture.detection(1, update, 2, T0)));
        }
        inbox.put(UUID.randomUUID(), List.of(InboxFixture.detection(1, update, 3, T0)));
        loader.drainNow();

        given().get("/api/v1/topics/500/{id}/summary", update).then()
                .statusCode(200)
                .body("topicType", equalTo(500))
                .body("topicId", equalTo(update))
                .body("states", hasSize(2))
                .body("states[0].stateId", equalTo(2))
                .body("states[0].stateName", equalTo("Update is required"))
                .body("states[0].clients", equalTo(3))
                .body("states[1].stateName", equalTo("Update is installed"))
                .body("states[1].clients", equalTo(1));
    }

    @Test
    void aMalformedTopicTypeIs400() {
        given().get("/api/v1/topics/abc/kb1/summary").then().statusCode(400).body("error", equalTo("invalid_topicType"));
    }

    @Test
    void aNulByteInATopicIdIs400NotADatabaseError() {
        given().urlEncodingEnabled(false).get("/api/v1/topics/402/a%00b/summary").then().statusCode(400)
                .header("Retry-After", org.hamcrest.Matchers.nullValue())
                .body("error", equalTo("invalid_topicId"))
                .body("detail", org.hamcrest.Matchers.not(org.hamcrest.Matchers.containsString("0x00")));
    }

    @Test
    void unicodeDigitsAndAPlusSignAreNotATopicType() {
        given().get("/api/v1/topics/{t}/kb1/summary", "٤٠٢").then().statusCode(400).body("error", equalTo("invalid_topicType"));
        given().urlEncodingEnabled(false).get("/api/v1/topics/%2B402/kb1/summary").then().statusCode(400)
                .body("error", equalTo("invalid_topicType"));
    }

    @Test
    void theCatalogListsEveryStateName() {
        given().get("/api/v1/statenames").then().statusCode(200)
                .body("size()", greaterThanOrEqualTo(57))
                .body("findAll { it.topicType == 700 }.stateName", hasItem("Resync complete"));
    }

    @Test
    void statusShowsTheBacklogAndCounters() {
        inbox.put(UUID.randomUUID(), List.of(InboxFixture.detection(1, "s", 2, T0)));
        given().get("/api/v1/status").then().statusCode(200)
                .body("inbox.reports", greaterThanOrEqualTo(1))
                .body("inbox.messages", greaterThanOrEqualTo(1))
                .body("inbox.oldestAgeSeconds", greaterThanOrEqualTo(0))
                .body("processed", notNullValue())
                .body("invalid", notNullValue())
                .body("badReports", notNullValue())
                .body("heartbeats", notNullValue());
        loader.drainNow();
        given().get("/api/v1/status").then().statusCode(200).body("inbox.reports", equalTo(0)).body("processed", greaterThanOrEqualTo(1));
    }

    @Test
    void metricsExposeLoaderCounters() {
        inbox.put(UUID.randomUUID(), List.of(InboxFixture.detection(1, "m", 2, T0)));
        loader.drainNow();
        given().get("/q/metrics").then().statusCode(200)
                .body(org.hamcrest.Matchers.containsString("statesys_loader_messages_processed_total"))
                .body(org.hamcrest.Matchers.containsString("statesys_loader_chunk_latency_seconds"));
    }
}
