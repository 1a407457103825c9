package io.statesys.resync.requests;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

/**
 * An operator forces a resync of one client (the original's "resync scripts"): the outstanding
 * request is re-issued now, or a new one is issued, and the client's statistics show the issue time.
 */
@ApplicationScoped
public class ForcedResyncs {
    static final String STAMP_ISSUED = "UPDATE client_message_stats SET last_resync_issued_time = now() WHERE client_id = ?1";

    public Uni<ResyncRequest> force(UUID client) {
        return Panache.withTransaction(() -> {
            OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
            return ResyncRequest.outstandingFor(client).chain(existing -> {
                ResyncRequest r;
                if (existing.isEmpty()) {
                    r = new ResyncRequest();
                    r.clientId = client;
                    r.firstIssuedAt = now;
                    r.reason = "forced";
                } else {
                    r = existing.get(0);
                    r.reissueCount++;
                }
                r.issuedAt = now;
                return r.<ResyncRequest>persist();
            }).call(r -> Panache.getSession().chain(s -> s.createNativeQuery(STAMP_ISSUED).setParameter(1, client).executeUpdate()));
        });
    }
}
