package io.statesys.service.identity;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.smallrye.mutiny.Uni;
import io.statesys.core.config.StatesysConfig;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Optional;
import java.util.UUID;

/**
 * Each relay/FSP replica keeps the identities it verified with for {@code statesys.identity.cache-ttl},
 * so steady-state verification costs no database round trip, and a block or an approval made
 * anywhere is seen by every replica within that time. Unknown clients are not cached: a client
 * that has just registered is known at once.
 */
@ApplicationScoped
public class KeyCache {
    static final long MAX_ENTRIES = 1_000_000;

    private final AsyncCache<UUID, ClientIdentity> cache;
    private final ClientIdentities identities;
    private final Pool pool;

    public KeyCache(StatesysConfig config, ClientIdentities identities, Pool pool) {
        this.cache = Caffeine.newBuilder().expireAfterWrite(config.identity().cacheTtl()).maximumSize(MAX_ENTRIES).buildAsync();
        this.identities = identities;
        this.pool = pool;
    }

    public Uni<Optional<ClientIdentity>> get(UUID client) {
        return Uni.createFrom().completionStage(() -> cache.get(client, (k, executor) ->
                        identities.find(pool, k).map(found -> found.orElse(null)).subscribeAsCompletionStage()))
                .map(Optional::ofNullable);
    }

    /** After a change made here: this replica sees it at once (the others within the TTL). */
    public void invalidate(UUID client) {
        cache.synchronous().invalidate(client);
    }
}
