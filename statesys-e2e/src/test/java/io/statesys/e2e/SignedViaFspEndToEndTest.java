package io.statesys.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.statesys.core.report.ClientId;
import io.statesys.core.signing.RequestSigner;
import io.statesys.testing.Reports;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A signed report through the fallback status point: verified at intake, kept whole, forwarded
 * with its original bytes and signature fields, verified again by the relay (which knows it came
 * from the FSP by the internal token), loaded by the processor.
 */
class SignedViaFspEndToEndTest {
    private static StatesysCluster cluster;
    private static ServiceProcess relay;
    private static ServiceProcess fsp;
    private static ServiceProcess processor;

    @BeforeAll
    static void start() throws Exception {
        int relayPort = ServiceProcess.freePort();
        cluster = new StatesysCluster(Map.of("STATESYS_FSP_THROTTLE_MESSAGES", "100000", "STATESYS_FSP_THROTTLE_INTERVAL", "1s",
                "STATESYS_FSP_RELAY_URL", "http://127.0.0.1:" + relayPort));
        relay = cluster.startOn("mp-relay-service", relayPort, Map.of());
        List<ServiceProcess> s = cluster.start("fallback-status-service", "state-processor-service");
        fsp = s.get(0);
        processor = s.get(1);
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aSignedReportCrossesTheFspWithItsClientsSignature() throws Exception {
        UUID client = UUID.randomUUID();
        String id = ClientId.format(client);
        KeyPair keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        byte[] registration = ("{\"clientId\":\"" + id + "\",\"publicKey\":\""
                + Base64.getEncoder().encodeToString(keys.getPublic().getEncoded()) + "\"}").getBytes(StandardCharsets.UTF_8);
        assertThat(post(relay.url("/api/v1/clients/registrations"), registration, id, keys, "application/json").statusCode()).isEqualTo(201);

        byte[] report = Reports.forClient(client).detections(1, 6, Instant.now()).utf16();
        HttpResponse<String> queued = post(fsp.url("/api/v1/statemessages"), report, id, keys, "text/xml");
        assertThat(queued.statusCode()).as(queued.body()).isEqualTo(202);

        Api.await("the report to be forwarded and loaded", Duration.ofSeconds(60), () -> {
            JsonNode serials = Api.get(processor.url("/api/v1/clients/" + id + "/serials"));
            return serials != null && serials.path("messages").asLong() == 6;
        });
        assertThat(cluster.count("SELECT count(*) FROM fsp_signed_report")).isZero();
        assertThat(cluster.count("SELECT count(*) FROM fsp_dead_letter")).isZero();
        assertThat(Api.get(fsp.url("/api/v1/fsp/status")).path("forwarded").asLong()).isEqualTo(6);
    }

    private static HttpResponse<String> post(URI uri, byte[] body, String id, KeyPair keys, String type) throws Exception {
        RequestSigner.Fields f = RequestSigner.sign(body, id, "ed25519", keys.getPrivate());
        return Api.HTTP.send(HttpRequest.newBuilder(uri).header("Content-Type", type).header("Content-Digest", f.contentDigest())
                .header("Signature-Input", f.signatureInput()).header("Signature", f.signature())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
