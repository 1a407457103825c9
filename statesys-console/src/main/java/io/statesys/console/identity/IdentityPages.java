package io.statesys.console.identity;

import io.quarkus.qute.TemplateData;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Uni;
import io.statesys.core.config.StatesysConfig;
import io.statesys.core.report.ClientId;
import io.statesys.console.Page;
import io.statesys.console.audit.ConsoleAudit;
import io.statesys.console.actions.ActionGuard;
import io.statesys.console.session.ConsoleSession;
import io.statesys.console.session.ConsoleView;
import io.statesys.service.identity.TokenValidity;
import io.statesys.service.identity.ClientIdentities;
import io.statesys.service.identity.ClientIdentity;
import io.statesys.service.identity.EnrolmentTokens;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Client identity: who waits for approval, who is blocked, who reports unverified; approve/block/unblock and enrolment tokens. */
@Path("/")
@ConsoleView
public class IdentityPages {
    /** The templates under {@code templates/console/}, their parameters checked when the build runs. */
    @CheckedTemplate(basePath = "console", defaultName = CheckedTemplate.HYPHENATED_ELEMENT_NAME)
    static class Templates {
        static native TemplateInstance identity(Page page, IdentityView view);
    }

    @TemplateData
    public record Token(long id, String expiresAt, boolean revoked, int registrations) {
    }

    @TemplateData
    public record IdentityView(String asOf, long registered, long approved, long pending, long blocked, long unverifiedClients,
                               List<IdentityStore.Registered> pendingClients, List<IdentityStore.Registered> blockedClients,
                               List<IdentityStore.Unverified> unverified,
                               List<Token> tokens, String newToken) {
    }

    private final Pool pool;
    private final IdentityStore store;
    private final ClientIdentities identities;
    private final EnrolmentTokens tokens;
    private final ConsoleAudit audit;
    private final StatesysConfig config;

    public IdentityPages(Pool pool, IdentityStore store, ClientIdentities identities, EnrolmentTokens tokens, ConsoleAudit audit, StatesysConfig config) {
        this.pool = pool;
        this.store = store;
        this.identities = identities;
        this.tokens = tokens;
        this.audit = audit;
        this.config = config;
    }

    @GET
    @Path("/console/identity")
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public Uni<TemplateInstance> html(@Context ContainerRequestContext request, @QueryParam("done") String done) {
        return load(null).map(v -> Templates.identity(Page.of(request, "Client identity", "identity", v.asOf(), done), v));
    }

    @GET
    @Path("/api/v1/console/identity")
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<IdentityView> json() {
        return load(null);
    }

    /** Approve, block, unblock or reset one client, from its page or this one. */
    @POST
    @Path("/console/actions/identity")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(hidden = true)
    public Uni<Response> change(@Context ContainerRequestContext request, @FormParam("csrf") String csrf, @FormParam("clientId") String clientId,
                                @FormParam("change") String change, @FormParam("back") String back) {
        return ActionGuard.ifAllowedForClient(request, csrf, clientId, "/console/identity", client -> {
            String target = ClientId.format(client);
            String page = "identity".equals(back) ? "/console/identity" : "/console/clients/" + target;
            ConsoleSession who = ConsoleSession.of(request);
            boolean reset = "reset".equals(change);
            return pool.withTransaction(conn -> apply(conn, client, change).call(found -> found.isEmpty() ? Uni.createFrom().voidItem()
                            : audit.record(conn, who, change + "-client", target, 1, reset
                                    ? "key " + found.get().key().fingerprint() + " forgotten" : "now " + found.get().view().status())))
                    .map(found -> ActionGuard.done(page, found.isEmpty() ? target + " has not registered (or the change is unknown)"
                            : reset ? target + " is reset: its key is forgotten and it may register again"
                            : target + " is now " + found.get().view().status()));
        });
    }

    @POST
    @Path("/console/actions/enrolment-tokens")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public Uni<Object> createToken(@Context ContainerRequestContext request, @FormParam("csrf") String csrf, @FormParam("validFor") String validFor) {
        return ActionGuard.ifAllowed(request, csrf, () -> {
            Duration validity;
            try {
                validity = TokenValidity.parse(validFor, config.identity().maxTokenValidity());
            } catch (IllegalArgumentException e) {
                return Uni.createFrom().item(ActionGuard.done("/console/identity", "Validity " + e.getMessage() + ": " + validFor));
            }
            ConsoleSession who = ConsoleSession.of(request);
            // the token is shown on this answer only (never stored, never in a URL)
            return pool.withTransaction(conn -> tokens.create(conn, validity)
                            .call(t -> audit.record(conn, who, "create-enrolment-token", "token " + t.id(), 1, "valid for " + validity)))
                    .chain(t -> load(t.token()).map(v -> Templates.identity(Page.of(request, "Client identity", "identity", v.asOf(),
                            "Enrolment token " + t.id() + " created; copy it now, it is not shown again."), v)));
        });
    }

    @POST
    @Path("/console/actions/enrolment-tokens/revoke")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(hidden = true)
    public Uni<Response> revokeToken(@Context ContainerRequestContext request, @FormParam("csrf") String csrf, @FormParam("id") long id) {
        return ActionGuard.ifAllowed(request, csrf, () -> {
            ConsoleSession who = ConsoleSession.of(request);
            return pool.withTransaction(conn -> tokens.revoke(conn, id)
                            .call(found -> found ? audit.record(conn, who, "revoke-enrolment-token", "token " + id, 1, null) : Uni.createFrom().voidItem()))
                    .map(found -> ActionGuard.done("/console/identity", found ? "Enrolment token " + id + " revoked" : "No enrolment token " + id));
        });
    }

    private Uni<Optional<ClientIdentity>> apply(SqlConnection conn, UUID client, String change) {
        return switch (change == null ? "" : change) {
            case "approve" -> identities.approve(conn, client, null);
            case "block" -> identities.block(conn, client);
            case "unblock" -> identities.unblock(conn, client);
            case "reset" -> identities.reset(conn, client);
            default -> Uni.createFrom().item(Optional.empty());
        };
    }

    Uni<IdentityView> load(String newToken) {
        return Uni.combine().all().unis(store.counts(), store.registered("pending"), store.registered("blocked"), store.unverified(),
                tokens.list(pool)).asTuple().map(t -> {
                    IdentityStore.Counts c = t.getItem1();
                    List<Token> listed = t.getItem5().stream().map(k -> new Token(k.id(), Page.time(k.expiresAt()), k.revoked(), k.registrations())).toList();
                    return new IdentityView(c.asOf(), c.registered(), c.registered() - c.pending() - c.blocked(), c.pending(), c.blocked(),
                            c.unverified(), t.getItem2(), t.getItem3(), t.getItem4(), listed, newToken);
                });
    }
}
