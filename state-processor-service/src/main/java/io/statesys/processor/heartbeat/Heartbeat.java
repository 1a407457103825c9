package io.statesys.processor.heartbeat;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.statesys.processor.loader.Loader;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Every {@code statesys.heartbeat-msg-interval} the processor records that it is alive, with its
 * counters, in {@code state_system_heartbeat} (shown by /api/v1/status) and as a metric.
 * Readiness stays about the database, not the backlog.
 */
@ApplicationScoped
public class Heartbeat {
    private static final Logger LOG = Logger.getLogger(Heartbeat.class);

    static final String BEAT = """
            INSERT INTO state_system_heartbeat (instance, beat_at, started_at, processed, invalid)
            VALUES ($1, now(), $2, $3, $4)
            ON CONFLICT (instance) DO UPDATE
            SET beat_at = now(), processed = excluded.processed, invalid = excluded.invalid""";

    private final Pool pool;
    private final Loader loader;
    private final OffsetDateTime startedAt = OffsetDateTime.now(ZoneOffset.UTC);
    private final AtomicLong lastBeatEpoch = new AtomicLong();

    public Heartbeat(Pool pool, Loader loader, MeterRegistry registry) {
        this.pool = pool;
        this.loader = loader;
        registry.gauge("statesys.heartbeat.last.epoch.seconds", lastBeatEpoch);
    }

    void onStart(@Observes StartupEvent ev) {
        beat().subscribe().with(ok -> { }, err -> { });
    }

    @Scheduled(every = "${statesys.heartbeat-msg-interval}", delayed = "${statesys.heartbeat-msg-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public Uni<Void> beat() {
        return pool.preparedQuery(BEAT)
                .execute(Tuple.of(loader.instance(), startedAt, loader.processedTotal(), loader.invalidTotal()))
                .invoke(() -> lastBeatEpoch.set(Instant.now().getEpochSecond()))
                .replaceWithVoid()
                .onFailure().recoverWithItem(e -> {
                    LOG.warnf("heartbeat not recorded: %s", e.toString());
                    return null;
                });
    }
}
