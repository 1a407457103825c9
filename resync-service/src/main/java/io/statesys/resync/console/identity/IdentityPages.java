package io.statesys.resync.console.identity;

import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateData;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Uni;
import io.statesys.core.config.StatesysConfig;
import io.statesys.core.report.ClientId;
import io.statesys.resync.console.Page;
import io.statesys.resync.console.audit.ConsoleAudit;
import io.statesys.resync.console.signin.ActionGuard;
import io.statesys.resync.console.signin.ConsoleSession;
import io.statesys.resync.console.signin.ConsoleView;
import io.statesys.resync.identity.TokenValidity;
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
    static final String COUNTS = """
            SELECT (SELECT count(*) FROM client_identity) AS registered,
                   (SELECT count(*) FROM client_identity WHERE status = 'pending') AS pending,
                   (SELECT count(*) FROM client_identity WHERE status = 'blocked') AS blocked,
                   (SELECT count(*) FROM unverified_client) AS unverified,
                   now() AS as_of""";

    static final String NOT_APPROVED = """
            SELECT client_id, netbios_name, status, key_fingerprint, registered_at, blocked_at FROM client_identity
            WHERE status = $1 ORDER BY registered_at LIMIT 100""";

    static final String UNVERIFIED = """
            SELECT client_id, reports, last_reason, first_at, last_at FROM unverified_client ORDER BY last_at DESC LIMIT 50""";

    @TemplateData
    public record Registered(String clientId, String netbiosName, String status, String keyFingerprint, String registeredAt, String blockedAt) {
    }

    @TemplateData
    public record Unverified(String clientId, long reports, String lastReason, String firstAt, String lastAt) {
    }

    @TemplateData
    public record Token(long id, String expiresAt, boolean revoked, int registrations) {
    }

    @TemplateData
    public record IdentityView(String asOf, long registered, long approved, long pending, long blocked, long unverifiedClients,
                               List<Registered> pendingClients, List<Registered> blockedClients, List<Unverified> unverified,
                               List<Token> tokens, String newToken) {
    }

    private final Pool pool;
    private final ClientIdentities identities;
    private final EnrolmentTokens tokens;
    private final ConsoleAudit audit;
    private final StatesysConfig config;
    private final Template page;

    public IdentityPages(Pool pool, ClientIdentities identities, EnrolmentTokens tokens, ConsoleAudit audit, StatesysConfig config,
                         @Location("console/identity") Template page) {
        this.pool = pool;
        this.identities = identities;
        this.tokens = tokens;
        this.audit = audit;
        this.config = config;
        this.page = page;
    }

    @GET
    @Path("/console/identity")
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public Uni<TemplateInstance> html(@Context ContainerRequestContext request, @QueryParam("done") String done) {
        return load(null).map(v -> page.data("page", Page.of(request, "Client identity", "identity", v.asOf(), done)).data("view", v));
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
                    .chain(t -> load(t.token()).map(v -> page.data("page", Page.of(request, "Client identity", "identity", v.asOf(),
                            "Enrolment token " + t.id() + " created; copy it now, it is not shown again.")).data("view", v)));
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
        return Uni.combine().all().unis(pool.query(COUNTS).execute(), registered("pending"), registered("blocked"),
                pool.query(UNVERIFIED).execute(), tokens.list(pool)).asTuple().map(t -> {
                    Row c = t.getItem1().iterator().next();
                    List<Unverified> unverified = new ArrayList<>();
                    for (Row r : t.getItem4()) {
                        unverified.add(new Unverified(ClientId.format(r.getUUID("client_id")), r.getLong("reports"), r.getString("last_reason"),
                                Page.time(r.getOffsetDateTime("first_at")), Page.time(r.getOffsetDateTime("last_at"))));
                    }
                    List<Token> listed = t.getItem5().stream().map(k -> new Token(k.id(), Page.time(k.expiresAt()), k.revoked(), k.registrations())).toList();
                    long registered = c.getLong("registered");
                    return new IdentityView(Page.time(c.getOffsetDateTime("as_of")), registered,
                            registered - c.getLong("pending") - c.getLong("blocked"), c.getLong("pending"), c.getLong("blocked"),
                            c.getLong("unverified"), t.getItem2(), t.getItem3(), unverified, listed, newToken);
                });
    }

    private Uni<List<Registered>> registered(String status) {
        return pool.preparedQuery(NOT_APPROVED).execute(io.vertx.mutiny.sqlclient.Tuple.of(status)).map(rows -> {
            List<Registered> out = new ArrayList<>();
            for (Row r : rows) {
                out.add(new Registered(ClientId.format(r.getUUID("client_id")), r.getString("netbios_name"), r.getString("status"),
                        r.getString("key_fingerprint"), Page.time(r.getOffsetDateTime("registered_at")), Page.time(r.getOffsetDateTime("blocked_at"))));
            }
            return out;
        });
    }
}
