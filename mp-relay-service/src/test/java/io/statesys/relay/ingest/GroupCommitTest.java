package io.statesys.relay.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.statesys.testing.Reports;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reports posted at the same moment are committed together (GroupCommit), yet every client is
 * answered with its own report: its id, its message count, its own resync flag — and only after the
 * row is in the inbox.
 */
@QuarkusTest
class GroupCommitTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    Pool pool;

    @io.quarkus.test.common.http.TestHTTPResource("/api/v1/statemessages")
    URI relay;

    @Test
    void twoHundredConcurrentReportsAreEachAnsweredWithTheirOwnCommittedRow() throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        List<Reports> reports = new ArrayList<>();
        Set<UUID> resyncing = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            Reports r = Reports.forNewClient().detections(1, 1 + i % 7, Instant.now());
            reports.add(r);
            if (i % 3 == 0) {
                resyncing.add(r.client());
                pool.preparedQuery("INSERT INTO resync_request (client_id) VALUES ($1)").execute(Tuple.of(r.client())).await().indefinitely();
            }
        }
        double[] before = commits();
        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
        for (Reports r : reports) {
            answers.add(http.sendAsync(HttpRequest.newBuilder(relay).header("Content-Type", "text/xml")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(r.utf16())).build(), HttpResponse.BodyHandlers.ofString()));
        }
        Set<Long> ids = new HashSet<>();
        for (int i = 0; i < reports.size(); i++) {
            HttpResponse<String> answer = answers.get(i).join();
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
            JsonNode a = JSON.readTree(answer.body());
            Reports r = reports.get(i);
            long id = a.path("reportId").asLong();
            assertThat(ids.add(id)).as("a report id of its own").isTrue();
            assertThat(a.path("messages").asInt()).isEqualTo(1 + i % 7);
            assertThat(a.path("resyncRequested").asBoolean()).isEqualTo(resyncing.contains(r.client()));
            Row row = pool.preparedQuery("SELECT client_id, message_count FROM inbox WHERE id = $1").execute(Tuple.of(id))
                    .await().indefinitely().iterator().next();
            assertThat(row.getUUID("client_id")).isEqualTo(r.client());
            assertThat(row.getInteger("message_count")).isEqualTo(1 + i % 7);
        }
        double[] after = commits();
        assertThat(after[1] - before[1]).as("reports committed").isEqualTo(200);
        assertThat(after[0] - before[0]).as("statements that committed them: fewer than the reports").isLessThan(200);
    }

    /** {count, sum} of statesys_relay_commit_reports: statements run, reports they committed. */
    private static double[] commits() {
        double[] out = new double[2];
        for (String line : io.restassured.RestAssured.get("/q/metrics").asString().lines().toList()) {
            if (line.startsWith("statesys_relay_commit_reports_count")) {
                out[0] = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            } else if (line.startsWith("statesys_relay_commit_reports_sum")) {
                out[1] = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return out;
    }
}
