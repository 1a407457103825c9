package io.statesys.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.statesys.core.report.ClientId;
import io.statesys.testing.Reports;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reports shaped as real clients and site systems send them, in UTF-16, through the relay and
 * through the FSP, loaded by the real processor: a CMPivot result without serial number and with a
 * 100 KB StateDetails, a pull distribution point (bare UUID, ClientInstalled 0), a Priority 5 update.
 * Identity is off here: what is tested is the report, and signing covers any body alike.
 */
class FieldReportsEndToEndTest {
    private static final String CMPIVOT_CLIENT = "GUID:6A1E4F3B-2C7D-4E8A-9B0C-1D2E3F4A5B6C";
    private static final String PULL_DP = "4b1d2c3e-5f60-4718-9a2b-3c4d5e6f7a8b";
    private static final String UPDATE_CLIENT = "GUID:8C2D4E6F-1A3B-4C5D-8E7F-9A0B1C2D3E4F";

    private StatesysCluster cluster;

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static int post(ServiceProcess door, String xml) throws Exception {
        return Api.HTTP.send(HttpRequest.newBuilder(door.url("/api/v1/statemessages")).header("Content-Type", "text/xml")
                .POST(HttpRequest.BodyPublishers.ofByteArray(Reports.utf16(xml))).build(), HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    /** The sample sent as another sender, so one run can send it through both doors. */
    private static String as(String xml, String from, UUID to, boolean bare) {
        return xml.replace(from, bare ? to.toString() : ClientId.format(to));
    }

    private static JsonNode client(ServiceProcess processor, UUID id, String view) {
        return Api.get(processor.url("/api/v1/clients/" + ClientId.format(id) + view));
    }

    @Test
    void fieldReportsThroughTheRelayAndTheFspAreStoredCountedAndServed() throws Exception {
        cluster = new StatesysCluster(Map.of("STATESYS_IDENTITY_MODE", "off",
                "STATESYS_FSP_THROTTLE_MESSAGES", "100000", "STATESYS_FSP_THROTTLE_INTERVAL", "1s"));
        List<ServiceProcess> s = cluster.start("mp-relay-service", "state-processor-service");
        ServiceProcess relay = s.get(0);
        ServiceProcess processor = s.get(1);
        ServiceProcess fsp = cluster.startOn("fallback-status-service", ServiceProcess.freePort(),
                Map.of("STATESYS_FSP_RELAY_URL", relay.baseUrl()));

        String big = "QUJD".repeat(25_600) + "==";
        String cmpivot = Reports.resource("reports/cmpivot-result.xml").replaceFirst("<!\\[CDATA\\[[^]]*]]>", "<![CDATA[" + big + "]]>");
        String pullDp = Reports.resource("reports/pull-dp-status.xml");
        String update = Reports.resource("reports/update-priority-5.xml");

        for (ServiceProcess door : List.of(relay, fsp)) {
            UUID script = UUID.randomUUID();
            UUID dp = UUID.randomUUID();
            UUID updated = UUID.randomUUID();
            assertThat(post(door, as(cmpivot, CMPIVOT_CLIENT, script, false))).as("CMPivot result").isEqualTo(202);
            assertThat(post(door, as(pullDp, PULL_DP, dp, true))).as("pull DP").isEqualTo(202);
            assertThat(post(door, as(update, UPDATE_CLIENT, updated, false))).as("priority 5 update").isEqualTo(202);

            Api.await("the three senders loaded (" + door.module() + ")", Duration.ofSeconds(60), () ->
                    Api.get(processor.url("/api/v1/clients/" + ClientId.format(updated) + "/states")) != null
                            && Api.get(processor.url("/api/v1/clients/" + ClientId.format(script) + "/states")) != null
                            && Api.get(processor.url("/api/v1/clients/" + ClientId.format(dp) + "/states")) != null);

            JsonNode result = client(processor, script, "/states").get(0);
            assertThat(result.path("topicType").asInt()).isEqualTo(9003);
            assertThat(result.path("serialNumber").isNull()).isTrue();
            assertThat(result.path("stateDetails").path("type").asInt()).isEqualTo(1);
            assertThat(result.path("stateDetails").path("data").asText()).isEqualTo(big);
            JsonNode serials = client(processor, script, "/serials");
            assertThat(serials.path("messagesWithoutSerial").asLong()).isEqualTo(1);
            assertThat(serials.path("messages").asLong()).isZero();
            assertThat(serials.path("highestSerial").isNull()).isTrue();
            assertThat(serials.path("missing")).isEmpty();

            JsonNode dpView = client(processor, dp, "");
            assertThat(dpView.path("siteSystem").asBoolean()).as("pull DP is a site system").isTrue();
            assertThat(dpView.path("sender").path("idFlag").asInt()).isEqualTo(1);
            assertThat(client(processor, dp, "/states").get(0).path("stateName").asText()).isEqualTo("Success");

            JsonNode updateView = client(processor, updated, "");
            assertThat(updateView.path("siteSystem").asBoolean()).isFalse();
            assertThat(client(processor, updated, "/states").get(0).path("serialNumber").asLong()).isEqualTo(232);
        }
    }
}
