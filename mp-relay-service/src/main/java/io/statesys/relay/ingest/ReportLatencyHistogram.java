package io.statesys.relay.ingest;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.time.Duration;

/**
 * Publishes the relay's own answer time for state-message reports as a Prometheus histogram
 * ({@code http_server_requests_seconds_bucket{uri="/api/v1/statemessages"}}), with a bucket edge at
 * the 20 ms objective: operators read its p99 with {@code histogram_quantile}, and the bench reads
 * it beside the clients' figure, which also holds the load generator's own pauses. Only this route
 * gets buckets, so the other routes' series stay few. The inbox's commit time (the database's part
 * of that answer, {@link GroupCommit}) gets the same buckets, so the two compare edge for edge.
 */
@Singleton
public class ReportLatencyHistogram {
    static final Duration OBJECTIVE = Duration.ofMillis(20);

    @Produces
    @Singleton
    public MeterFilter reportLatencyBuckets() {
        return new MeterFilter() {
            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                boolean reportAnswers = "http.server.requests".equals(id.getName()) && StateMessageResource.PATH.equals(id.getTag("uri"));
                if (!reportAnswers && !GroupCommit.COMMIT_TIME.equals(id.getName())) {
                    return config;
                }
                return DistributionStatisticConfig.builder()
                        .percentilesHistogram(true)
                        .minimumExpectedValue((double) Duration.ofMillis(1).toNanos())
                        .maximumExpectedValue((double) Duration.ofSeconds(30).toNanos())
                        .serviceLevelObjectives((double) OBJECTIVE.toNanos())
                        .build()
                        .merge(config);
            }
        };
    }
}
