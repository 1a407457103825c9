package io.statesys.resync.console.clients;

import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateData;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Uni;
import io.statesys.core.report.ClientId;
import io.statesys.resync.console.Page;
import io.statesys.resync.console.signin.ConsoleView;
import io.statesys.service.http.ClientIdParam;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

/** "Why is this client Unknown?" — one client's whole story — and finding a client by id or name. */
@Path("/")
@ConsoleView
public class ClientPages {
    /**
     * By NetBIOS name prefix (case-insensitive); a GUID goes straight to its page. The prefix is a
     * byte-wise range, so the (lower(netbios_name) text_pattern_ops) index answers it whatever the prefix.
     */
    static final String SEARCH = """
            SELECT client_id, site_code, netbios_name, last_seen FROM client_message_stats
            WHERE lower(netbios_name) ~>=~ lower($1) AND lower(netbios_name) ~<~ (lower($1) || chr(1114111))
            ORDER BY lower(netbios_name) USING ~<~, client_id LIMIT 50""";

    @TemplateData
    public record ClientView(String asOf, String clientId, boolean known, ClientStore.Identity identity, List<ClientStore.Stats> sites,
                             String lastReport, String lastMessageTime, List<ClientStore.State> states, List<ClientStore.Range> missing,
                             List<ClientStore.Resync> resyncs, List<ClientStore.Refused> refused, ClientStore.Fsp fsp) {
    }

    @TemplateData
    public record Found(String clientId, String siteCode, String netbiosName, String lastSeen) {
    }

    @TemplateData
    public record SearchView(String asOf, String query, List<Found> found) {
    }

    private final ClientStore store;
    private final Pool pool;
    private final Template client;
    private final Template search;

    public ClientPages(ClientStore store, Pool pool, @Location("console/client") Template client, @Location("console/clients") Template search) {
        this.store = store;
        this.pool = pool;
        this.client = client;
        this.search = search;
    }

    @GET
    @Path("/console/clients")
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public Uni<Object> searchHtml(@Context ContainerRequestContext request, @QueryParam("q") String q) {
        String query = q == null ? "" : q.strip();
        try {
            UUID id = ClientId.parse(query);
            return Uni.createFrom().item(io.statesys.resync.console.signin.ConsoleHeaders.redirect("/console/clients/" + ClientId.format(id)).build());
        } catch (IllegalArgumentException notAnId) {
            return find(query).map(v -> search.data("page", Page.of(request, "Clients", "clients", v.asOf(), null)).data("view", v));
        }
    }

    @GET
    @Path("/api/v1/console/clients")
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<SearchView> searchJson(@QueryParam("q") String q) {
        return find(q == null ? "" : q.strip());
    }

    @GET
    @Path("/console/clients/{clientId}")
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public Uni<TemplateInstance> html(@Context ContainerRequestContext request, @PathParam("clientId") ClientIdParam clientId,
                                      @QueryParam("done") String done) {
        return load(clientId.uuid()).map(v -> client.data("page", Page.of(request, "Client " + v.clientId(), "clients", v.asOf(), done)).data("view", v));
    }

    @GET
    @Path("/api/v1/console/clients/{clientId}")
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<ClientView> json(@PathParam("clientId") ClientIdParam clientId) {
        return load(clientId.uuid());
    }

    Uni<ClientView> load(UUID id) {
        return Uni.combine().all().unis(store.identity(id), store.stats(id), store.states(id), store.missing(id), store.resyncs(id),
                store.refused(id), store.fsp(id)).asTuple().map(t -> {
                    List<ClientStore.Stats> sites = t.getItem2();
                    List<ClientStore.State> states = t.getItem3();
                    String lastReport = sites.isEmpty() ? null : sites.get(0).lastSeen();
                    String lastMessage = states.stream().map(ClientStore.State::messageTime).max(Comparator.naturalOrder()).orElse(null);
                    boolean known = t.getItem1() != null || !sites.isEmpty() || t.getItem7().queuedMessages() > 0 || !t.getItem6().isEmpty();
                    return new ClientView(Page.time(Instant.now()), ClientId.format(id), known, t.getItem1(), sites, lastReport, lastMessage,
                            states, t.getItem4(), t.getItem5(), t.getItem6(), t.getItem7());
                });
    }

    Uni<SearchView> find(String query) {
        if (query.isEmpty()) {
            return Uni.createFrom().item(new SearchView(Page.time(Instant.now()), query, List.of()));
        }
        return pool.preparedQuery(SEARCH).execute(Tuple.of(query)).map(rows -> {
            List<Found> out = new ArrayList<>();
            for (Row r : rows) {
                out.add(new Found(ClientId.format(r.getUUID("client_id")), r.getString("site_code"), r.getString("netbios_name"),
                        Page.time(r.getOffsetDateTime("last_seen"))));
            }
            return new SearchView(Page.time(Instant.now()), query, out);
        });
    }
}
