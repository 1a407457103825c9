package io.statesys.relay.ingest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Reports and messages accepted, refusals by reason. (The inbox depth ops watch for backlogs is
 * the processor's gauge: it owns the inbox's other end.)
 */
@ApplicationScoped
public class IngestMetrics {
    private final MeterRegistry registry;
    private final Counter reports;
    private final Counter messages;

    public IngestMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.reports = Counter.builder("statesys.relay.reports.accepted").description("Reports committed to the inbox").register(registry);
        this.messages = Counter.builder("statesys.relay.messages.accepted").description("State messages committed to the inbox").register(registry);
    }

    public void accepted(int messageCount) {
        reports.increment();
        messages.increment(messageCount);
    }

    public void rejected(String reason) {
        registry.counter("statesys.relay.reports.rejected", "reason", reason).increment();
    }
}
