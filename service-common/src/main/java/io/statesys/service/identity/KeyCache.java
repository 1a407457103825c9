package io.statesys.service.identity;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.statesys.core.config.StatesysConfig;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Each relay/FSP replica keeps the identities it verified with, so verification costs no database
 * round trip; and every {@code statesys.identity.cache-ttl} it asks the database which identities
 * changed since it last asked (the {@code changed_at} every update moves) and forgets those. So a
 * block or an approval made anywhere is seen by every replica within that time, while a client
 * reporting every 15 minutes is not looked up again for each report. If that question cannot be
 * answered, the replica forgets everything: it never serves an identity it could not check.
 * Unknown clients are not cached: a client that has just registered is known at once.
 */
@ApplicationScoped
public class KeyCache {
    private static final Logger LOG = Logger.getLogger(KeyCache.class);
    static final long MAX_ENTRIES = 1_000_000;
    /** A backstop: an entry is read again after this long whatever the change feed says. */
    static final Duration KEEP = Duration.ofHours(1);
    /**
     * How far back each question reaches before the previous answer's clock: an update whose
     * transaction commits later than this after its changed_at would be missed; identity
     * transactions are single statements.
     */
    static final Duration OVERLAP = Duration.ofSeconds(60);

    private final AsyncCache<UUID, ClientIdentity> cache;
    private final ClientIdentities identities;
    private final Pool pool;
    private final Vertx vertx;
    private final long timer;
    private final Counter loads;
    private final AtomicBoolean asking = new AtomicBoolean();
    private volatile OffsetDateTime since;

    public KeyCache(StatesysConfig config, ClientIdentities identities, Pool pool, Vertx vertx, MeterRegistry registry) {
        this.cache = Caffeine.newBuilder().expireAfterWrite(KEEP).maximumSize(MAX_ENTRIES).buildAsync();
        this.identities = identities;
        this.pool = pool;
        this.vertx = vertx;
        this.loads = Counter.builder("statesys_identity_cache_loads")
                .description("identities read from the database because this replica did not hold them (or forgot them after a change)")
                .register(registry);
        this.timer = vertx.setPeriodic(Math.max(100, config.identity().cacheTtl().toMillis()), id -> forgetChanged());
    }

    public Uni<Optional<ClientIdentity>> get(UUID client) {
        return Uni.createFrom().completionStage(() -> cache.get(client, (k, executor) -> {
                    loads.increment();
                    return identities.find(pool, k).map(found -> found.orElse(null)).subscribeAsCompletionStage();
                }))
                .map(Optional::ofNullable);
    }

    /** After a change made here: this replica sees it at once (the others within the TTL). */
    public void invalidate(UUID client) {
        cache.synchronous().invalidate(client);
    }

    /** Reads since the cache began (a metric, and what the tests watch). */
    public long loads() {
        return (long) loads.count();
    }

    void forgetChanged() {
        if (!asking.compareAndSet(false, true)) {
            return; // the previous question is still out
        }
        OffsetDateTime from = since;
        // the first question has no previous answer to reach back from: what was cached before it is
        // forgotten (a few entries, read again once)
        OffsetDateTime ask = from == null ? OffsetDateTime.now().minus(OVERLAP) : from.minus(OVERLAP);
        identities.changedSince(pool, ask).subscribe().with(changes -> {
            if (from == null) {
                cache.synchronous().invalidateAll();
            } else {
                // the overlap names a change again and again: an entry read after it is current and stays
                changes.changed().forEach((client, at) -> {
                    var held = cache.getIfPresent(client); // never wait on the event loop for a load
                    if (held != null && (!held.isDone() || held.isCompletedExceptionally() || stale(held.getNow(null), at))) {
                        cache.synchronous().invalidate(client);
                    }
                });
            }
            since = changes.now();
            asking.set(false);
        }, failure -> {
            long held = cache.synchronous().estimatedSize();
            cache.synchronous().invalidateAll();
            since = null;
            asking.set(false);
            if (held > 0) {
                LOG.warnf("could not ask the database which identities changed (%s); forgot the %d held here", failure.getMessage(), held);
            }
        });
    }

    /** Read before the change (a load still under way counts as read before: it may have been). */
    private static boolean stale(ClientIdentity held, OffsetDateTime changedAt) {
        return held != null && (held.changedAt() == null || held.changedAt().isBefore(changedAt));
    }

    @PreDestroy
    void stop() {
        vertx.cancelTimer(timer);
    }
}
