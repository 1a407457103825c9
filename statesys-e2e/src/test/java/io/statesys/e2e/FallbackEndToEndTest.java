package io.statesys.e2e;

import org.junit.jupiter.api.Order;
import com.fasterxml.jackson.databind.JsonNode;
import io.statesys.core.codec.ReportWriter;
import io.statesys.core.codec.XmlEncoding;
import io.statesys.core.inbox.InboxPayload;
import io.statesys.core.report.ClientId;
import io.statesys.core.report.Machine;
import io.statesys.core.report.Report;
import io.statesys.core.report.StateMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The fallback status point forwarding to the real relay, loaded by the real processor. */
@Order(3)
class FallbackEndToEndTest {
    private StatesysCluster cluster;

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** Client deployment messages (800: 100 started, 400 succeeded, 500 assignment started, 700 assigned). */
    private static List<StateMessage> deployment(int firstSerial) {
        Instant t = Instant.now().minusSeconds(60);
        List<StateMessage> m = new ArrayList<>();
        int[] states = {100, 400, 500, 700};
        for (int i = 0; i < states.length; i++) {
            m.add(new StateMessage(t.plusSeconds(i), firstSerial + i, 800, "client-deployment", 0, states[i], 0, List.of()));
        }
        return m;
    }

    private static int post(ServiceProcess fsp, UUID client, List<StateMessage> messages) throws Exception {
        byte[] body = ReportWriter.write(Report.full(Machine.of(client, "WKS-NEW"), Instant.now(), messages), XmlEncoding.UTF_16LE);
        return Api.HTTP.send(HttpRequest.newBuilder(fsp.url("/api/v1/statemessages")).header("Content-Type", "text/xml")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static JsonNode fspStatus(ServiceProcess fsp) {
        return Api.get(fsp.url("/api/v1/fsp/status"));
    }

    @Test
    void theThrottleHoldsWithinOneMessageOverTwentySecondsAcrossTwoReplicas() throws Exception {
        int relayPort = ServiceProcess.freePort();
        cluster = new StatesysCluster(Map.of("STATESYS_FSP_THROTTLE_MESSAGES", "50", "STATESYS_FSP_THROTTLE_INTERVAL", "5s",
                "STATESYS_FSP_RELAY_URL", "http://127.0.0.1:" + relayPort));
        cluster.startOn("mp-relay-service", relayPort, Map.of());
        // two FSP replicas share the queue and one budget
        ServiceProcess fsp = cluster.start("fallback-status-service", "fallback-status-service").get(0);
        for (int c = 0; c < 100; c++) {
            assertThat(post(fsp, UUID.randomUUID(), deployment(1))).isEqualTo(202);
        }
        long before = fspStatus(fsp).path("forwarded").asLong();
        long t0 = System.nanoTime();
        Thread.sleep(20_000);
        long after = fspStatus(fsp).path("forwarded").asLong();
        double seconds = (System.nanoTime() - t0) / 1e9;
        long allowed = (long) Math.floor(10 * seconds) + 1;
        assertThat(forwardedTwice()).as("messages forwarded twice by the two replicas").isZero();
        System.out.printf("throttle 50/5s: %d forwarded in %.2f s (allowed %d)%n", after - before, seconds, allowed);
        assertThat(after - before).as("forwarded in %.1f s at 10 messages/s", seconds)
                .isLessThanOrEqualTo(allowed)
                .isGreaterThanOrEqualTo(allowed - 20);
    }

    /** (client, serial) pairs that reached the inbox more than once. */
    private long forwardedTwice() throws Exception {
        java.util.Set<String> seen = new java.util.HashSet<>();
        long twice = 0;
        try (Connection c = cluster.jdbc(); var st = c.createStatement(); var rs = st.executeQuery("SELECT client_id, payload FROM inbox")) {
            while (rs.next()) {
                for (StateMessage m : InboxPayload.decode(rs.getBytes(2))) {
                    if (!seen.add(rs.getString(1) + "/" + m.serialNumber())) {
                        twice++;
                    }
                }
            }
        }
        return twice;
    }

    @Test
    void whileTheRelayIsDownTheQueueGrowsThenDrainsCompletelyNothingLostOrDoubled() throws Exception {
        int relayPort = ServiceProcess.freePort();
        cluster = new StatesysCluster(Map.of("STATESYS_FSP_THROTTLE_MESSAGES", "100000", "STATESYS_FSP_THROTTLE_INTERVAL", "1s",
                "STATESYS_FSP_RELAY_URL", "http://127.0.0.1:" + relayPort));
        List<ServiceProcess> s = cluster.start("fallback-status-service", "state-processor-service");
        ServiceProcess fsp = s.get(0);
        ServiceProcess processor = s.get(1);

        List<UUID> clients = new ArrayList<>();
        for (int c = 0; c < 50; c++) {
            UUID id = UUID.randomUUID();
            clients.add(id);
            assertThat(post(fsp, id, deployment(1))).isEqualTo(202);
        }
        Api.await("the FSP to notice the relay is down", Duration.ofSeconds(20), () -> !fspStatus(fsp).path("lastError").isNull());
        assertThat(fspStatus(fsp).path("queued").asLong()).isEqualTo(200);

        cluster.startOn("mp-relay-service", relayPort, Map.of());
        Api.await("the queue to drain", Duration.ofSeconds(90), () -> fspStatus(fsp).path("queued").asLong() == 0);
        // every message, not just the first chunk of each client's: a client's four can be loaded by different chunks.
        // Unsigned (clients without a key yet), they are loaded outside serial tracking and marked unsigned.
        Api.await("the processor to load all", Duration.ofSeconds(30), () -> clients.stream().allMatch(id -> {
            JsonNode serials = Api.get(processor.url("/api/v1/clients/" + ClientId.format(id) + "/serials"));
            return serials != null && serials.path("messagesWithoutSerial").asLong() >= 4;
        }));
        for (UUID id : clients) {
            JsonNode serials = Api.get(processor.url("/api/v1/clients/" + ClientId.format(id) + "/serials"));
            assertThat(serials.path("messagesWithoutSerial").asLong()).isEqualTo(4);
            assertThat(serials.path("messages").asLong()).isZero();
            assertThat(serials.path("duplicates").asLong()).isZero();
            assertThat(serials.path("missing")).isEmpty();
            JsonNode states = Api.get(processor.url("/api/v1/clients/" + ClientId.format(id) + "/states"));
            assertThat(states.get(0).path("stateName").asText()).isEqualTo("Assignment succeeded");
            assertThat(states.get(0).path("unsigned").asBoolean()).isTrue();
        }
        assertThat(cluster.count("SELECT count(*) FROM inbox WHERE source = 'fsp'")).isZero();
    }

    @Test
    void aPoisonedReportGoesToDeadLettersAndAForwardRepeatedAfterACrashChangesNoState() throws Exception {
        cluster = new StatesysCluster(Map.of("STATESYS_FSP_THROTTLE_MESSAGES", "100000", "STATESYS_FSP_THROTTLE_INTERVAL", "1s"));
        List<ServiceProcess> s = cluster.start("mp-relay-service", "state-processor-service");
        ServiceProcess processor = s.get(1);
        ServiceProcess fsp = cluster.startOn("fallback-status-service", ServiceProcess.freePort(),
                Map.of("STATESYS_FSP_RELAY_URL", s.get(0).baseUrl()));

        // a queue row the relay will refuse (a topic ID over 512 characters), ahead of good messages
        UUID poisoned = UUID.randomUUID();
        StateMessage bad = new StateMessage(Instant.now(), 1, 800, "x".repeat(600), 0, 100, 0, List.of());
        try (Connection c = cluster.jdbc(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO fsp_queue (client_id, netbios_name, serial_number, message) VALUES (?, 'WKS-BAD', 1, ?)")) {
            ps.setObject(1, poisoned);
            ps.setBytes(2, InboxPayload.encode(List.of(bad)));
            ps.executeUpdate();
        }
        UUID good = UUID.randomUUID();
        assertThat(post(fsp, good, deployment(1))).isEqualTo(202);

        Api.await("the good report to reach the processor", Duration.ofSeconds(30),
                () -> Api.get(processor.url("/api/v1/clients/" + ClientId.format(good) + "/serials")) != null);
        Api.await("the poisoned report in dead letters", Duration.ofSeconds(30), () -> fspStatus(fsp).path("deadLetters").asLong() == 1);
        JsonNode dead = Api.get(fsp.url("/api/v1/fsp/dead-letters"));
        assertThat(dead.get(0).path("relayStatus").asInt()).isEqualTo(400);
        assertThat(dead.get(0).path("clientId").asText()).isEqualTo(ClientId.format(poisoned));

        // the FSP died after the relay's 202 but before its delete committed: the messages are queued again
        try (Connection c = cluster.jdbc(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO fsp_queue (client_id, netbios_name, serial_number, message) VALUES (?, 'WKS-NEW', ?, ?)")) {
            for (StateMessage m : deployment(1)) {
                ps.setObject(1, good);
                ps.setLong(2, m.serialNumber());
                ps.setBytes(3, InboxPayload.encode(List.of(m)));
                ps.addBatch();
            }
            ps.executeBatch();
        }
        // unsigned, so outside serial tracking: the repeat is loaded again, and newest-wins absorbs it
        Api.await("the repeated forward to be loaded", Duration.ofSeconds(30), () ->
                Api.get(processor.url("/api/v1/clients/" + ClientId.format(good) + "/serials")).path("messagesWithoutSerial").asLong() == 8);
        JsonNode serials = Api.get(processor.url("/api/v1/clients/" + ClientId.format(good) + "/serials"));
        assertThat(serials.path("messages").asLong()).isZero();
        assertThat(serials.path("missing")).isEmpty();
        JsonNode states = Api.get(processor.url("/api/v1/clients/" + ClientId.format(good) + "/states"));
        assertThat(states).hasSize(1);
        assertThat(states.get(0).path("stateName").asText()).isEqualTo("Assignment succeeded");
    }
}
