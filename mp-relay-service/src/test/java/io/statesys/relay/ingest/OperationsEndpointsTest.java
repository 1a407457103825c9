package io.statesys.relay.ingest;

import io.quarkus.test.junit.QuarkusTest;
import io.statesys.core.report.ClientId;
import io.statesys.testing.Reports;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

@QuarkusTest
class OperationsEndpointsTest {

    @Test
    void readyAndLiveAreUpWithTheDatabase() {
        given().get("/q/health/ready").then().statusCode(200);
        given().get("/q/health/live").then().statusCode(200);
    }

    @Test
    void metricsCountAcceptedAndRejectedReports() {
        given().contentType("text/xml").body(Reports.forNewClient().detections(1, 3, Instant.now()).utf16())
                .post("/api/v1/statemessages").then().statusCode(202);
        given().contentType("text/xml").body("<nope/>").post("/api/v1/statemessages").then().statusCode(400);
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("statesys_relay_messages_accepted_total"))
                .body(containsString("statesys_relay_reports_rejected_total{reason=\"invalid_report\""));
    }

    @Test
    void theReportRouteHasALatencyHistogramWithABucketEdgeAtTheObjectiveAndNoOtherRouteHasOne() {
        given().contentType("text/xml").body(Reports.forNewClient().detections(1, 3, Instant.now()).utf16())
                .post("/api/v1/statemessages").then().statusCode(202);
        given().get("/api/v1/clients/{id}/policy", ClientId.format(UUID.randomUUID())).then().statusCode(200);
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        List<String> buckets = metrics.lines().filter(l -> l.startsWith("http_server_requests_seconds_bucket{")).toList();
        assertThat(buckets).anyMatch(l -> l.contains("uri=\"/api/v1/statemessages\"") && l.contains("status=\"202\"")
                && l.contains("le=\"0.02\""));
        // the policy route is timed (count, sum, max) but has no buckets
        assertThat(metrics).contains("http_server_requests_seconds_count{method=\"GET\"");
        assertThat(metrics.lines().filter(l -> l.startsWith("http_server_requests_seconds_count{"))
                .filter(l -> l.contains("/policy")).toList()).isNotEmpty();
        assertThat(buckets).allMatch(l -> l.contains("uri=\"/api/v1/statemessages\""));
        // cumulative: the +Inf bucket holds every answered report, and no bucket holds more
        List<String> accepted = buckets.stream().filter(l -> l.contains("status=\"202\"")).toList();
        long inf = accepted.stream().filter(l -> l.contains("le=\"+Inf\"")).mapToLong(OperationsEndpointsTest::count).sum();
        assertThat(inf).isGreaterThanOrEqualTo(1);
        assertThat(accepted).allMatch(l -> count(l) <= inf);
    }

    @Test
    void theInboxCommitTimeHasTheSameBucketsAsTheAnswers() {
        given().contentType("text/xml").body(Reports.forNewClient().detections(1, 3, Instant.now()).utf16())
                .post("/api/v1/statemessages").then().statusCode(202);
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        List<String> commits = metrics.lines().filter(l -> l.startsWith("statesys_relay_inbox_commit_seconds_bucket{")).toList();
        List<String> answers = metrics.lines().filter(l -> l.startsWith("http_server_requests_seconds_bucket{")
                && l.contains("status=\"202\"") && l.contains("uri=\"/api/v1/statemessages\"")).toList();
        assertThat(commits).anyMatch(l -> l.contains("le=\"0.02\""));
        assertThat(commits.stream().map(OperationsEndpointsTest::edge).toList())
                .isEqualTo(answers.stream().map(OperationsEndpointsTest::edge).toList());
        long committed = commits.stream().filter(l -> l.contains("le=\"+Inf\"")).mapToLong(OperationsEndpointsTest::count).sum();
        assertThat(committed).isGreaterThanOrEqualTo(1);
        assertThat(commits).allMatch(l -> count(l) <= committed);
    }

    private static String edge(String sample) {
        int le = sample.indexOf("le=\"") + 4;
        return sample.substring(le, sample.indexOf('"', le));
    }

    private static long count(String sample) {
        return (long) Double.parseDouble(sample.substring(sample.lastIndexOf(' ') + 1));
    }

    @Test
    void openApiDescribesTheIngress() {
        given().get("/q/openapi").then().statusCode(200).body(containsString("/api/v1/statemessages"));
    }
}
