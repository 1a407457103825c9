package io.statesys.fsp.forward;

import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.statesys.core.codec.ReportReader;
import io.statesys.core.report.Report;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Forwarding to a relay that answers slowly (a stand-in HTTP server that holds every call until the
 * test lets it go): no queue row is locked while the relay is called, reports go out several at a
 * time, and one settle removes what the relay took.
 */
@QuarkusTest
@TestProfile(ForwardingTest.SlowRelay.class)
class ForwardingTest {
    static final int PORT = StandInRelay.freePort();
    private static HttpServer relay;
    private static final CountDownLatch RELEASE = new CountDownLatch(1);
    private static final AtomicInteger IN_FLIGHT = new AtomicInteger();
    private static final AtomicInteger MOST_IN_FLIGHT = new AtomicInteger();
    private static final ConcurrentLinkedQueue<Report> RECEIVED = new ConcurrentLinkedQueue<>();

    public static class SlowRelay implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return StandInRelay.settings(PORT);
        }
    }

    @Inject
    Forwarder forwarder;

    @Inject
    Pool pool;

    @BeforeAll
    static void startRelay() throws IOException {
        relay = StandInRelay.start(PORT, Map.of("/api/v1/statemessages", exchange -> {
            int now = IN_FLIGHT.incrementAndGet();
            MOST_IN_FLIGHT.accumulateAndGet(now, Math::max);
            try {
                RECEIVED.add(new ReportReader().read(exchange.getRequestBody().readAllBytes()));
                RELEASE.await(20, TimeUnit.SECONDS);
                byte[] answer = "{\"reportId\":1}".getBytes();
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(202, answer.length);
                exchange.getResponseBody().write(answer);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                IN_FLIGHT.decrementAndGet();
                exchange.close();
            }
        }));
    }

    @AfterAll
    static void stopRelay() {
        relay.stop(0);
    }

    @Test
    void whileTheRelayIsCalledNoQueueRowIsLockedAndReportsGoOutConcurrently() throws Exception {
        UUID[] ids = FspIntake.reportsFromNewClients(6, 4);

        CompletableFuture<Forwarder.Round> round = CompletableFuture.supplyAsync(forwarder::forwardOnce);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (RECEIVED.size() < 6 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(RECEIVED).as("reports at the relay while it holds them").hasSize(6);

        // the relay has not answered: every row is leased (not due) yet none is locked
        Row leased = pool.preparedQuery("""
                WITH locked AS (SELECT next_attempt_at FROM fsp_queue WHERE client_id = ANY($1) FOR UPDATE NOWAIT)
                SELECT count(*) AS n, bool_and(next_attempt_at > now()) AS leased FROM locked""").execute(Tuple.of((Object) ids))
                .await().indefinitely().iterator().next();
        assertThat(leased.getLong("n")).isEqualTo(24);
        assertThat(leased.getBoolean("leased")).isTrue();
        assertThat(MOST_IN_FLIGHT.get()).as("reports in flight at once").isGreaterThan(1);

        RELEASE.countDown();
        assertThat(round.get(30, TimeUnit.SECONDS)).isEqualTo(Forwarder.Round.FORWARDED);
        long left = pool.preparedQuery("SELECT count(*) FROM fsp_queue WHERE client_id = ANY($1)").execute(Tuple.of((Object) ids))
                .await().indefinitely().iterator().next().getLong(0);
        assertThat(left).isZero();
        assertThat(RECEIVED).allSatisfy(r -> assertThat(r.messages()).hasSize(4));
    }
}
