package io.statesys.fsp.status;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import io.statesys.fsp.queue.FspQueue;
import io.statesys.service.database.DatabaseReadiness;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Ready means the durable queue can be read (and so written): the FSP may answer 202. A server at
 * max_connections is busy, not down: like {@code DatabaseReadiness}, this check stays up then, and
 * the database check's grace decides.
 */
@Readiness
@ApplicationScoped
public class QueueReadiness implements AsyncHealthCheck {
    private final FspQueue queue;
    private final AtomicLong queued = new AtomicLong();
    private final AtomicLong oldest = new AtomicLong();

    public QueueReadiness(FspQueue queue, MeterRegistry registry) {
        this.queue = queue;
        registry.gauge("statesys.fsp.queue.messages", queued);
        registry.gauge("statesys.fsp.queue.oldest.age.seconds", oldest);
    }

    /**
     * Reads the head of the queue: the probe runs every few seconds on every replica and must cost
     * the same with ten messages queued or ten million (counting them took 0.2 s per million). The
     * count shown is the gauges' last sample.
     */
    @Override
    public Uni<HealthCheckResponse> call() {
        return queue.oldestAgeSeconds()
                .map(oldestAge -> HealthCheckResponse.named("fsp-queue").up()
                        .withData("queued", queued.get()).withData("oldestAgeSeconds", oldestAge).build())
                .onFailure().recoverWithItem(e -> DatabaseReadiness.isBusy(e)
                        // a full server: the database check decides (it stays up within its grace)
                        ? HealthCheckResponse.named("fsp-queue").up().withData("busy", e.toString()).build()
                        : HealthCheckResponse.named("fsp-queue").down().withData("error", e.toString()).build());
    }

    @Scheduled(every = "15s", delayed = "2s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> refreshGauges() {
        return queue.depth().invoke(d -> {
            queued.set(d.messages());
            oldest.set(d.oldestAgeSeconds());
        }).replaceWithVoid().onFailure().recoverWithNull();
    }
}
