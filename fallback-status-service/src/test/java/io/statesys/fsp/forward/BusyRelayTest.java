package io.statesys.fsp.forward;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.statesys.service.forwarding.ForwardedReports;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A relay that answers {@code 503 busy} (its budget of report bytes in flight is spent) is up, not
 * down: the FSP keeps the reports queued without counting a failed attempt, calls again after the
 * relay's Retry-After, and its circuit breaker stays closed however many busy answers come in a row.
 */
@QuarkusTest
@TestProfile(BusyRelayTest.RelayAtPort.class)
class BusyRelayTest {
    static final int PORT = StandInRelay.freePort();
    /** Busy answers before the stand-in takes the batch: more than the breaker's window of four. */
    static final int BUSY_ANSWERS = 7;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger CALLS = new AtomicInteger();
    private static volatile String retryAfter = "1";
    /** Whether the stand-in answers its n-th call (from 1) busy. */
    private static volatile java.util.function.IntPredicate busyOnCall = n -> true;
    private static HttpServer relay;

    public static class RelayAtPort implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return StandInRelay.settings(PORT);
        }
    }

    @Inject
    Forwarder forwarder;

    @Inject
    Pool pool;

    @Inject
    MeterRegistry registry;

    @BeforeAll
    static void startRelay() throws IOException {
        relay = StandInRelay.start(PORT, Map.of(ForwardedReports.PATH, exchange -> {
            try (exchange) {
                JsonNode batch = JSON.readTree(exchange.getRequestBody());
                if (busyOnCall.test(CALLS.incrementAndGet())) {
                    exchange.getResponseHeaders().add("Retry-After", retryAfter);
                    answer(exchange, 503, "{\"error\":\"busy\",\"detail\":\"report bytes in flight are at the budget\"}");
                    return;
                }
                List<Map<String, Object>> results = new ArrayList<>();
                for (int i = 0; i < batch.get("reports").size(); i++) {
                    results.add(Map.of("status", 202, "reportId", i + 1));
                }
                answer(exchange, 200, JSON.writeValueAsString(Map.of("results", results)));
            }
        }));
    }

    private static void answer(HttpExchange exchange, int status, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
    }

    @AfterAll
    static void stopRelay() {
        relay.stop(0);
    }

    @Test
    void aBusyRelayIsCalledAgainAfterItsRetryAfterWithoutAFailedAttemptOrAnOpenBreaker() throws Exception {
        CALLS.set(0);
        retryAfter = "1";
        busyOnCall = n -> n <= BUSY_ANSWERS;
        UUID[] ids = FspIntake.reportsFromNewClients(3, 2);

        double busyBefore = registry.get("statesys.fsp.relay.busy").counter().count();
        assertThat(forwarder.forwardOnce()).isEqualTo(Forwarder.Round.RELAY_BUSY);
        Row waiting = queue(ids);
        assertThat(waiting.getLong("n")).isEqualTo(6);
        assertThat(waiting.getInteger("attempts")).as("a busy answer is not a failed attempt").isZero();
        assertThat(waiting.getString("last_error")).isNull();
        assertThat(waiting.getDouble("due_in")).as("seconds until due again: the relay's Retry-After").isBetween(0.5, 1.5);
        assertThat(forwarder.forwardOnce()).as("nothing is due before the Retry-After").isEqualTo(Forwarder.Round.IDLE);

        retryAfter = "0";
        pool.preparedQuery("UPDATE fsp_queue SET next_attempt_at = now() WHERE client_id = ANY($1)")
                .execute(Tuple.of((Object) ids)).await().indefinitely();
        for (int call = 2; call <= BUSY_ANSWERS; call++) {
            assertThat(forwarder.forwardOnce()).as("round %d: busy, not unavailable (the breaker is closed)", call)
                    .isEqualTo(Forwarder.Round.RELAY_BUSY);
        }
        assertThat(forwarder.forwardOnce()).isEqualTo(Forwarder.Round.FORWARDED);

        assertThat(queue(ids).getLong("n")).isZero();
        assertThat(CALLS.get()).isEqualTo(BUSY_ANSWERS + 1);
        assertThat(registry.get("statesys.fsp.relay.busy").counter().count() - busyBefore).isEqualTo(3.0 * BUSY_ANSWERS);
        assertThat(registry.get("statesys.fsp.forward.retries").counter().count()).isZero();
    }

    @Test
    void aRoundWhoseBatchesTheRelayPartlyTookGoesOnWithoutWaiting() throws InterruptedException {
        CALLS.set(0);
        retryAfter = "1";
        busyOnCall = n -> n == 2; // of the round's two batches, whichever comes second
        UUID[] ids = FspIntake.reportsFromNewClients(BatchTransport.BATCH_REPORTS + 10, 1);

        assertThat(forwarder.forwardOnce()).as("the relay took a batch: no pause").isEqualTo(Forwarder.Round.FORWARDED);
        Row left = queue(ids);
        assertThat(left.getLong("n")).as("what the relay was busy for stays queued").isBetween(10L, (long) BatchTransport.BATCH_REPORTS);
        assertThat(left.getInteger("attempts")).isZero();
        assertThat(left.getDouble("due_in")).isBetween(0.5, 1.5);

        busyOnCall = n -> false;
        Thread.sleep(1_600);
        assertThat(forwarder.forwardOnce()).isEqualTo(Forwarder.Round.FORWARDED);
        assertThat(queue(ids).getLong("n")).isZero();
    }

    private Row queue(UUID[] clients) {
        return pool.preparedQuery("""
                SELECT count(*) AS n, max(attempts) AS attempts, max(last_error) AS last_error,
                       extract(epoch FROM min(next_attempt_at) - clock_timestamp())::float8 AS due_in
                FROM fsp_queue WHERE client_id = ANY($1)""").execute(Tuple.of((Object) clients))
                .await().indefinitely().iterator().next();
    }
}
