package io.statesys.console.clients;

import io.quarkus.qute.TemplateData;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Uni;
import io.statesys.core.report.ClientId;
import io.statesys.console.Page;
import io.statesys.console.session.ConsoleView;
import io.statesys.service.http.ClientIdParam;
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
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

/** "Why is this client Unknown?" — one client's whole story — and finding a client by id or name. */
@Path("/")
@ConsoleView
public class ClientPages {
    /** The templates under {@code templates/console/}, their parameters checked when the build runs. */
    @CheckedTemplate(basePath = "console", defaultName = CheckedTemplate.HYPHENATED_ELEMENT_NAME)
    static class Templates {
        static native TemplateInstance client(Page page, ClientView view);
        static native TemplateInstance clients(Page page, SearchView view);
    }

    @TemplateData
    public record ClientView(String asOf, String clientId, boolean known, ClientStore.Identity identity, List<ClientStore.Stats> sites,
                             String lastReport, String lastMessageTime, List<ClientStore.State> states, List<ClientStore.Range> missing,
                             List<ClientStore.Resync> resyncs, List<ClientStore.Refused> refused, ClientStore.Fsp fsp) {
    }

    @TemplateData
    public record SearchView(String asOf, String query, List<ClientStore.Found> found) {
    }

    private final ClientStore store;

    public ClientPages(ClientStore store) {
        this.store = store;
    }

    @GET
    @Path("/console/clients")
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public Uni<Object> searchHtml(@Context ContainerRequestContext request, @QueryParam("q") String q) {
        String query = q == null ? "" : q.strip();
        try {
            UUID id = ClientId.parse(query);
            return Uni.createFrom().item(io.statesys.console.signin.ConsoleHeaders.redirect("/console/clients/" + ClientId.format(id)).build());
        } catch (IllegalArgumentException notAnId) {
            return find(query).map(v -> Templates.clients(Page.of(request, "Clients", "clients", v.asOf(), null), v));
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
        return load(clientId.uuid()).map(v -> Templates.client(Page.of(request, "Client " + v.clientId(), "clients", v.asOf(), done), v));
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
        return store.search(query).map(found -> new SearchView(Page.time(Instant.now()), query, found));
    }
}
