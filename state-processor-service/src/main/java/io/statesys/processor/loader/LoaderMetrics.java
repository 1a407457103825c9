package io.statesys.processor.loader;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.concurrent.TimeUnit;

/** What the loaders did, for Prometheus. */
@ApplicationScoped
public class LoaderMetrics {
    private final Counter reports;
    private final Counter processed;
    private final Counter invalid;
    private final Counter duplicates;
    private final Counter gapsOpened;
    private final Counter gapsClosed;
    private final Counter retries;
    private final Counter schemaMismatches;
    private final Timer chunkLatency;

    public LoaderMetrics(MeterRegistry registry) {
        reports = Counter.builder("statesys.loader.reports").description("Inbox reports loaded").register(registry);
        processed = Counter.builder("statesys.loader.messages.processed").description("State messages processed").register(registry);
        invalid = Counter.builder("statesys.loader.messages.invalid").description("State messages moved to invalid records").register(registry);
        duplicates = Counter.builder("statesys.loader.messages.duplicate").description("State messages whose serial was already received").register(registry);
        gapsOpened = Counter.builder("statesys.loader.gaps.opened").description("Missing serial ranges opened").register(registry);
        gapsClosed = Counter.builder("statesys.loader.gaps.closed").description("Missing serial ranges closed").register(registry);
        retries = Counter.builder("statesys.loader.chunk.retries").description("Chunks rolled back for a transient failure").register(registry);
        schemaMismatches = Counter.builder("statesys.loader.schema.mismatch")
                .description("Chunks rolled back because the schema does not fit this processor's statements (loading paused, nothing marked)")
                .register(registry);
        chunkLatency = Timer.builder("statesys.loader.chunk.latency").description("Time to load and commit one chunk")
                .publishPercentiles(0.5, 0.99).register(registry);
    }

    void committed(ChunkResult r, long nanos) {
        reports.increment(r.claimed());
        processed.increment(r.processed());
        invalid.increment(r.invalid());
        duplicates.increment(r.duplicates());
        gapsOpened.increment(r.gapsOpened());
        gapsClosed.increment(r.gapsClosed());
        chunkLatency.record(nanos, TimeUnit.NANOSECONDS);
    }

    /** Records moved to invalid records outside a chunk (isolated poison, retries given up). */
    void movedToInvalid(long messages) {
        invalid.increment(messages);
    }

    void retried() {
        retries.increment();
    }

    void schemaMismatch() {
        schemaMismatches.increment();
    }
}
