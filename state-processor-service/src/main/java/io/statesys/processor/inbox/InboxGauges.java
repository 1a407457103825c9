package io.statesys.processor.inbox;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.statesys.schema.InboxDepth;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.concurrent.atomic.AtomicLong;

/** Inbox depth and the age of its oldest report, for alerting on backlogs. */
@ApplicationScoped
public class InboxGauges {
    private final Pool pool;
    private final AtomicLong reports = new AtomicLong();
    private final AtomicLong messages = new AtomicLong();
    private final AtomicLong oldestSeconds = new AtomicLong();

    public InboxGauges(Pool pool, MeterRegistry registry) {
        this.pool = pool;
        registry.gauge("statesys.inbox.reports", reports);
        registry.gauge("statesys.inbox.messages", messages);
        registry.gauge("statesys.inbox.oldest.age.seconds", oldestSeconds);
    }

    @Scheduled(every = "15s", delayed = "2s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> refresh() {
        return pool.query(InboxDepth.SELECT).execute().invoke(rows -> {
            Row r = rows.iterator().next();
            reports.set(r.getLong("reports"));
            messages.set(r.getLong("messages"));
            oldestSeconds.set(r.getLong("oldest"));
        }).replaceWithVoid().onFailure().recoverWithNull();
    }
}
