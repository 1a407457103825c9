package io.statesys.resync.identity;

import io.smallrye.mutiny.Uni;
import io.statesys.service.admin.AdminOnly;
import io.statesys.service.error.ApiException;
import io.statesys.service.http.ClientIdParam;
import io.statesys.service.identity.ClientIdentities;
import io.statesys.service.identity.ClientIdentity;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import io.statesys.console.audit.ConsoleAudit;
import io.statesys.console.session.ConsoleSession;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.Optional;
import java.util.UUID;
import java.util.function.BiFunction;

/**
 * A client's identity for admins (docs/api.md, "Client identity"): look, approve, block, unblock, reset.
 * Relays and FSPs see a change within {@code statesys.identity.cache-ttl}.
 */
@Path("/api/v1/clients/{clientId}")
@Produces(MediaType.APPLICATION_JSON)
@AdminOnly
public class ClientIdentityResource {
    private final ClientIdentities identities;
    private final Pool pool;
    private final ConsoleAudit audit;

    public ClientIdentityResource(ClientIdentities identities, Pool pool, ConsoleAudit audit) {
        this.identities = identities;
        this.pool = pool;
        this.audit = audit;
    }

    @GET
    @Path("/identity")
    public Uni<ClientIdentity.View> identity(@PathParam("clientId") ClientIdParam clientId) {
        return view(clientId, identities::find);
    }

    @POST
    @Path("/approve")
    public Uni<ClientIdentity.View> approve(@PathParam("clientId") ClientIdParam clientId) {
        return view(clientId, (db, id) -> identities.approve(db, id, null));
    }

    @POST
    @Path("/block")
    public Uni<ClientIdentity.View> block(@PathParam("clientId") ClientIdParam clientId) {
        return view(clientId, identities::block);
    }

    @POST
    @Path("/unblock")
    public Uni<ClientIdentity.View> unblock(@PathParam("clientId") ClientIdParam clientId) {
        return view(clientId, identities::unblock);
    }

    /**
     * Forgets the client's identity: its key and standing go, and it may register again (with an
     * enrolment token, in approval mode {@code token}). For a ClientID someone else registered
     * first, or a client whose key was lost. Audited as the console's actions are.
     */
    @DELETE
    @Path("/identity")
    public Uni<ClientIdentity.View> reset(@PathParam("clientId") ClientIdParam clientId) {
        ConsoleSession who = new ConsoleSession("admin token (API)", ConsoleSession.Role.ADMIN, java.time.Instant.MAX, null);
        return pool.withTransaction(conn -> identities.reset(conn, clientId.uuid()).call(found -> found.isEmpty()
                        ? Uni.createFrom().voidItem()
                        : audit.record(conn, who, "reset-client", clientId.toString(), 1, "key " + found.get().key().fingerprint() + " forgotten")))
                .map(found -> found.orElseThrow(() -> ApiException.notFound("unknown_client", clientId + " has not registered")).view());
    }

    /** Runs one store call on the client and answers its identity, or 404 when it never registered. */
    private Uni<ClientIdentity.View> view(ClientIdParam clientId,
                                          BiFunction<SqlClient, UUID, Uni<Optional<ClientIdentity>>> call) {
        return call.apply(pool, clientId.uuid()).map(found -> found
                .orElseThrow(() -> ApiException.notFound("unknown_client", clientId + " has not registered")).view());
    }
}
