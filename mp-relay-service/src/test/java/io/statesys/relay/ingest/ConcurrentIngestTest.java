package io.statesys.relay.ingest;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.statesys.testing.Reports;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

@QuarkusTest
class ConcurrentIngestTest {
    @TestHTTPResource("/api/v1/statemessages")
    URI endpoint;

    @Inject
    Pool pool;

    @Test
    void concurrentPostsAreAllCommittedNoneLost() throws Exception {
        int clients = 16;
        int reportsEach = 25;
        List<UUID> ids = new ArrayList<>();
        HttpClient http = HttpClient.newHttpClient();
        ExecutorService pool16 = Executors.newFixedThreadPool(clients);
        List<Future<Integer>> accepted = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            UUID client = UUID.randomUUID();
            ids.add(client);
            accepted.add(pool16.submit(() -> {
                int ok = 0;
                for (int i = 0; i < reportsEach; i++) {
                    byte[] body = Reports.forClient(client).detections(i * 4L + 1, i * 4L + 4, Instant.now()).utf16();
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(endpoint).header("Content-Type", "text/xml")
                            .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() == 202) {
                        ok++;
                    }
                }
                return ok;
            }));
        }
        int total = 0;
        for (Future<Integer> f : accepted) {
            total += f.get();
        }
        pool16.shutdown();

        assertThat(total).isEqualTo(clients * reportsEach);
        long rows = pool.preparedQuery("SELECT count(*), sum(message_count) FROM inbox WHERE client_id = ANY($1)")
                .execute(Tuple.of(ids.toArray(new UUID[0]))).await().indefinitely().iterator().next().getLong(0);
        assertThat(rows).isEqualTo(clients * reportsEach);
    }
}
