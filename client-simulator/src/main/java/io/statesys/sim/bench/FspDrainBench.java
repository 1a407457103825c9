package io.statesys.sim.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.statesys.core.inbox.InboxPayload;
import io.statesys.core.report.StateMessage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;

/**
 * Pre-fills the fallback status point's queue with client-deployment messages (what clients that
 * could not reach the relay left there) in one transaction, then measures how fast the FSP
 * forwards them to the relay: messages/s from the commit until its queue is empty, against the
 * throttle the FSP runs with. Run the FSP with a throttle worth measuring, e.g.
 * {@code STATESYS_FSP_THROTTLE_MESSAGES=5000 STATESYS_FSP_THROTTLE_INTERVAL=1s ./statesys up}.
 */
@Command(name = "fsp-drain", mixinStandardHelpOptions = true, description = "Forwarding benchmark of the fallback-status-service.")
public final class FspDrainBench implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int[] DEPLOYMENT = {100, 400, 500, 700};

    @Option(names = "--clients", defaultValue = "25000", description = "clients, 4 deployment messages each (default ${DEFAULT-VALUE})")
    int clients;

    @Option(names = "--fsp", defaultValue = "http://127.0.0.1:8082", description = "FSP base URL (default ${DEFAULT-VALUE})")
    String fsp;

    @picocli.CommandLine.Mixin
    io.statesys.sim.DatabaseOptions db;

    @Option(names = "--timeout", defaultValue = "600", description = "seconds to wait for the queue to empty (default ${DEFAULT-VALUE})")
    int timeoutSeconds;

    @Override
    public Integer call() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        JsonNode before = status(http);
        if (before.path("queued").asLong() != 0) {
            System.out.println("the FSP queue is not empty (" + before.path("queued").asLong() + " messages); let it drain first");
            return 2;
        }
        JsonNode throttle = before.path("throttle");
        System.out.printf("pre-filling %,d messages (%,d clients x 4 client-deployment messages); FSP throttle %,d messages per %s s%n",
                clients * 4L, clients, throttle.path("messages").asLong(), throttle.path("intervalSeconds").asText());
        Instant t0 = Instant.now().minusSeconds(600);
        try (Connection c = db.connect()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO fsp_queue (client_id, netbios_name, client_version, serial_number, message) VALUES (?, ?, '5.00.9128.1000', ?, ?)")) {
                for (int i = 0; i < clients; i++) {
                    UUID client = UUID.randomUUID();
                    for (int s = 0; s < DEPLOYMENT.length; s++) {
                        StateMessage m = new StateMessage(t0.plusSeconds(s), s + 1L, 800, "client-deployment", 0, DEPLOYMENT[s], 0, List.of());
                        ps.setObject(1, client);
                        ps.setString(2, "WKS-" + i);
                        ps.setLong(3, s + 1L);
                        ps.setBytes(4, InboxPayload.encode(List.of(m)));
                        ps.addBatch();
                    }
                    if (i % 500 == 499) {
                        ps.executeBatch();
                    }
                }
                ps.executeBatch();
            }
            c.commit();
        }
        long forwarded0 = status(http).path("forwarded").asLong();
        long start = System.nanoTime();
        long deadline = start + timeoutSeconds * 1_000_000_000L;
        long queued;
        while ((queued = status(http).path("queued").asLong()) > 0 && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        JsonNode after = status(http);
        long forwarded = after.path("forwarded").asLong() - forwarded0;
        if (queued > 0) {
            System.out.printf("FAILED: %,d messages still queued after %d s (%,d forwarded)%n", queued, timeoutSeconds, forwarded);
            return 1;
        }
        double perSecond = throttle.path("messages").asDouble() / Math.max(1e-9, throttle.path("intervalSeconds").asDouble());
        System.out.printf("forwarded %,d messages in %.2f s%n", forwarded, seconds);
        System.out.printf("  forward rate     %,10.0f messages/s (throttle allows %,.0f/s)%n", forwarded / seconds, perSecond);
        System.out.printf("  dead letters     %,10d; last error: %s%n", after.path("deadLetters").asLong(), after.path("lastError").asText("none"));
        return forwarded == clients * 4L ? 0 : 1;
    }

    private JsonNode status(HttpClient http) throws Exception {
        String body = http.send(HttpRequest.newBuilder(URI.create(fsp + "/api/v1/fsp/status")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        return JSON.readTree(body);
    }
}
