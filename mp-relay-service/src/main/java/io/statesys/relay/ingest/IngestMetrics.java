package io.statesys.relay.ingest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.concurrent.atomic.AtomicLong;

/** Reports and messages accepted, refusals by reason, and the inbox depth ops watch for backlogs. */
@ApplicationScoped
public class IngestMetrics {
    private final MeterRegistry registry;
    private final Counter reports;
    private final Counter messages;
    private final AtomicLong inboxReports = new AtomicLong();
    private final AtomicLong inboxMessages = new AtomicLong();
    private final Inbox inbox;

    public IngestMetrics(MeterRegistry registry, Inbox inbox) {
        this.registry = registry;
        this.inbox = inbox;
        this.reports = Counter.builder("statesys.relay.reports.accepted").description("Reports committed to the inbox").register(registry);
        this.messages = Counter.builder("statesys.relay.messages.accepted").description("State messages committed to the inbox").register(registry);
        registry.gauge("statesys.inbox.reports", inboxReports);
        registry.gauge("statesys.inbox.messages", inboxMessages);
    }

    void accepted(int messageCount) {
        reports.increment();
        messages.increment(messageCount);
    }

    public void rejected(String reason) {
        registry.counter("statesys.relay.reports.rejected", "reason", reason).increment();
    }

    @Scheduled(every = "15s", delayed = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> refreshInboxDepth() {
        return inbox.depth().invoke(d -> {
            inboxReports.set(d.reports());
            inboxMessages.set(d.messages());
        }).replaceWithVoid().onFailure().recoverWithNull();
    }
}
