package io.statesys.resync.identity;

import io.smallrye.mutiny.Uni;
import io.statesys.resync.admin.AdminOnly;
import io.statesys.service.error.ApiException;
import io.statesys.service.http.ClientIdParam;
import io.statesys.service.identity.ClientIdentities;
import io.statesys.service.identity.ClientIdentity;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.Optional;

/**
 * A client's identity for admins (docs/api.md, "Client identity"): look, approve, block, unblock.
 * Relays and FSPs see a change within {@code statesys.identity.cache-ttl}.
 */
@Path("/api/v1/clients/{clientId}")
@Produces(MediaType.APPLICATION_JSON)
@AdminOnly
public class ClientIdentityResource {
    private final ClientIdentities identities;
    private final Pool pool;

    public ClientIdentityResource(ClientIdentities identities, Pool pool) {
        this.identities = identities;
        this.pool = pool;
    }

    @GET
    @Path("/identity")
    public Uni<ClientIdentity.View> identity(@PathParam("clientId") ClientIdParam clientId) {
        return identities.find(pool, clientId.uuid()).map(found -> view(found, clientId));
    }

    @POST
    @Path("/approve")
    public Uni<ClientIdentity.View> approve(@PathParam("clientId") ClientIdParam clientId) {
        return identities.approve(pool, clientId.uuid(), null).map(found -> view(found, clientId));
    }

    @POST
    @Path("/block")
    public Uni<ClientIdentity.View> block(@PathParam("clientId") ClientIdParam clientId) {
        return identities.block(pool, clientId.uuid()).map(found -> view(found, clientId));
    }

    @POST
    @Path("/unblock")
    public Uni<ClientIdentity.View> unblock(@PathParam("clientId") ClientIdParam clientId) {
        return identities.unblock(pool, clientId.uuid()).map(found -> view(found, clientId));
    }

    private static ClientIdentity.View view(Optional<ClientIdentity> found, ClientIdParam clientId) {
        return found.orElseThrow(() -> ApiException.notFound("unknown_client", clientId + " has not registered")).view();
    }
}
