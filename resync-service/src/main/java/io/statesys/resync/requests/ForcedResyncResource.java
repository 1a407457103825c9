package io.statesys.resync.requests;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import io.statesys.resync.admin.AdminOnly;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

/**
 * An operator forces a resync of one client (the original's "resync scripts"): the outstanding
 * request is re-issued now, or a new one is issued.
 */
@Path("/api/v1/clients/{clientId}/resync")
public class ForcedResyncResource {
    static final String STAMP_ISSUED = "UPDATE client_message_stats SET last_resync_issued_time = now() WHERE client_id = ?1";

    @POST
    @AdminOnly
    @WithTransaction
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> force(@PathParam("clientId") String clientId) {
        UUID client = ResyncResource.clientId(clientId);
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
        }).call(r -> Panache.getSession().chain(s -> s.createNativeQuery(STAMP_ISSUED).setParameter(1, client).executeUpdate()))
                .map(r -> Response.accepted(ResyncResource.Request.of(r)).build());
    }
}
