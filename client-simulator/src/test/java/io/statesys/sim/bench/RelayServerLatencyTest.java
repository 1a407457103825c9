package io.statesys.sim.bench;

import org.junit.jupiter.api.Test;

import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

class RelayServerLatencyTest {

    private static String exposition(double fast, double objective, double slow, double all, double otherRoute) {
        return """
                # TYPE http_server_requests_seconds histogram
                http_server_requests_seconds_bucket{method="POST",outcome="SUCCESS",status="202",uri="/api/v1/statemessages",le="0.005"} %s
                http_server_requests_seconds_bucket{method="POST",outcome="SUCCESS",status="202",uri="/api/v1/statemessages",le="0.02"} %s
                http_server_requests_seconds_bucket{method="POST",outcome="SUCCESS",status="202",uri="/api/v1/statemessages",le="0.1"} %s
                http_server_requests_seconds_bucket{method="POST",outcome="SUCCESS",status="202",uri="/api/v1/statemessages",le="+Inf"} %s
                http_server_requests_seconds_bucket{method="POST",outcome="CLIENT_ERROR",status="400",uri="/api/v1/statemessages",le="0.005"} 1.0
                http_server_requests_seconds_bucket{method="POST",outcome="CLIENT_ERROR",status="400",uri="/api/v1/statemessages",le="0.02"} 1.0
                http_server_requests_seconds_bucket{method="POST",outcome="CLIENT_ERROR",status="400",uri="/api/v1/statemessages",le="0.1"} 1.0
                http_server_requests_seconds_bucket{method="POST",outcome="CLIENT_ERROR",status="400",uri="/api/v1/statemessages",le="+Inf"} 1.0
                http_server_requests_seconds_bucket{method="POST",outcome="SUCCESS",status="201",uri="/api/v1/clients/registrations",le="+Inf"} %s
                http_server_requests_seconds_count{method="POST",outcome="SUCCESS",status="202",uri="/api/v1/statemessages"} %s
                # TYPE statesys_relay_inbox_commit_seconds histogram
                statesys_relay_inbox_commit_seconds_bucket{le="0.005"} 7.0
                statesys_relay_inbox_commit_seconds_bucket{le="0.02"} 8.0
                statesys_relay_inbox_commit_seconds_bucket{le="+Inf"} 9.0
                statesys_relay_inbox_commit_seconds_count 9.0
                """.formatted(fast, objective, slow, all, otherRoute, all);
    }

    @Test
    void bucketsAreSummedOverStatusesOfTheReportRouteOnly() {
        TreeMap<Double, Double> b = RelayServerLatency.buckets(exposition(10, 90, 99, 100, 5000), RelayServerLatency.Series.ANSWERS);
        assertThat(b).containsEntry(0.005, 11.0).containsEntry(0.02, 91.0).containsEntry(0.1, 100.0)
                .containsEntry(Double.POSITIVE_INFINITY, 101.0).hasSize(4);
    }

    @Test
    void theClockCountsOnlyWhatArrivedBetweenTheTwoScrapes() {
        TreeMap<Double, Double> before = RelayServerLatency.buckets(exposition(1000, 1000, 1000, 1000, 0), RelayServerLatency.Series.ANSWERS);
        TreeMap<Double, Double> after = RelayServerLatency.buckets(exposition(1010, 1090, 1099, 1100, 0), RelayServerLatency.Series.ANSWERS);
        TreeMap<Double, Double> d = RelayServerLatency.delta(before, after);
        assertThat(d).containsEntry(0.005, 10.0).containsEntry(0.02, 90.0).containsEntry(0.1, 99.0)
                .containsEntry(Double.POSITIVE_INFINITY, 100.0);
        // the quantile is the upper edge of the bucket it falls in
        assertThat(RelayServerLatency.quantile(d, 0.50)).isEqualTo(0.02);
        assertThat(RelayServerLatency.quantile(d, 0.90)).isEqualTo(0.02);
        assertThat(RelayServerLatency.quantile(d, 0.99)).isEqualTo(0.1);
        assertThat(RelayServerLatency.quantile(d, 0.999)).isInfinite();
    }

    @Test
    void theInboxCommitIsReadFromItsOwnHistogramNotTheAnswers() {
        TreeMap<Double, Double> c = RelayServerLatency.buckets(exposition(10, 90, 99, 100, 5000), RelayServerLatency.Series.COMMITS);
        assertThat(c).containsEntry(0.005, 7.0).containsEntry(0.02, 8.0).containsEntry(Double.POSITIVE_INFINITY, 9.0).hasSize(3);
    }

    @Test
    void theLineGivesTheShareWithinTheObjectiveOnlyWhenThereIsABucketEdgeAtIt() {
        TreeMap<Double, Double> d = new TreeMap<>();
        d.put(0.005, 50.0);
        d.put(0.02, 90.0);
        d.put(0.1, 100.0);
        d.put(Double.POSITIVE_INFINITY, 100.0);
        assertThat(RelayServerLatency.line(d, "answers", "from request read to answer"))
                .isEqualTo("p50 ≤ 5.0 ms  p90 ≤ 20.0 ms  p99 ≤ 100.0 ms  (100 answers, 90.00% within 20.0 ms; from request read to answer)");
        d.remove(0.02); // a relay built before the objective's edge
        assertThat(RelayServerLatency.line(d, "answers", "x")).contains("no bucket edge at 20.0 ms").doesNotContain("NaN");
    }

    @Test
    void aFailedScrapeOrNoAnswersGiveNoFigure() {
        assertThat(RelayServerLatency.buckets(null, RelayServerLatency.Series.ANSWERS)).isNull();
        assertThat(RelayServerLatency.delta(null, new TreeMap<>())).isEmpty();
        assertThat(RelayServerLatency.quantile(new TreeMap<>(), 0.99)).isNaN();
    }
}
