package io.statesys.relay.ingest;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.config.EncoderConfig;
import io.statesys.core.inbox.InboxPayload;
import io.statesys.core.report.Sender;
import io.statesys.core.report.StateMessage;
import io.statesys.testing.Reports;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/** Reports as real clients and site systems send them, in UTF-16, accepted and committed with all they carry. */
@QuarkusTest
class FieldReportsIngestTest {
    @Inject
    Pool pool;

    @BeforeAll
    static void rawContentTypes() {
        RestAssured.config = RestAssured.config().encoderConfig(
                EncoderConfig.encoderConfig().appendDefaultContentCharsetToContentTypeIfUndefined(false));
    }

    private Row stored(String sample, String clientId) {
        long id = given().contentType("text/xml").body(Reports.utf16(Reports.resource("reports/" + sample)))
                .post("/api/v1/statemessages").then().statusCode(202).body("clientId", equalTo(clientId))
                .extract().jsonPath().getLong("reportId");
        return pool.preparedQuery("SELECT * FROM inbox WHERE id = $1").execute(Tuple.of(id)).await().indefinitely().iterator().next();
    }

    @Test
    void aCmpivotResultWithoutSerialNumberIsAcceptedWithItsStateDetailsAndPriority() {
        Row row = stored("cmpivot-result.xml", "GUID:6A1E4F3B-2C7D-4E8A-9B0C-1D2E3F4A5B6C");

        assertThat(row.getInteger("priority")).isEqualTo(5);
        StateMessage m = InboxPayload.decode(row.getBuffer("payload").getBytes()).get(0);
        assertThat(m.serialNumber()).isNull();
        assertThat(m.topicType()).isEqualTo(9003);
        assertThat(new String(Base64.getDecoder().decode(m.stateDetails().data()), StandardCharsets.UTF_16)).contains("<result>");
    }

    @Test
    void aPullDistributionPointsBareUuidIsNormalisedAndItsSenderKept() {
        Row row = stored("pull-dp-status.xml", "GUID:4B1D2C3E-5F60-4718-9A2B-3C4D5E6F7A8B");

        InboxPayload.Contents c = InboxPayload.read(row.getBuffer("payload").getBytes());
        assertThat(c.sender()).isEqualTo(new Sender("5.00.9128.1000", 0, 1, 0, 1));
        assertThat(c.sender().isSiteSystem()).isTrue();
        assertThat(row.getInteger("priority")).isZero();
    }

    @Test
    void anUpdateReportWithPriorityFiveAndUserAttributesIsAccepted() {
        Row row = stored("update-priority-5.xml", "GUID:8C2D4E6F-1A3B-4C5D-8E7F-9A0B1C2D3E4F");

        assertThat(row.getInteger("priority")).isEqualTo(5);
        assertThat(InboxPayload.decode(row.getBuffer("payload").getBytes()).get(0).serialNumber()).isEqualTo(232L);
    }

    @Test
    void aPriorityOutsideItsRangeIs400NamingIt() {
        String xml = Reports.resource("reports/update-priority-5.xml").replace("<Priority>5</Priority>", "<Priority>900</Priority>");
        given().contentType("text/xml").body(Reports.utf16(xml)).post("/api/v1/statemessages").then().statusCode(400)
                .body("error", equalTo("invalid_report"))
                .body("detail", equalTo("ReportHeader/Identification/Machine/Priority: outside 0..255: 900"));
    }
}
