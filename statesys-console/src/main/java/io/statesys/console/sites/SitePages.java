package io.statesys.console.sites;

import io.quarkus.qute.TemplateData;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Uni;
import io.statesys.console.Page;
import io.statesys.console.services.ServiceProbe;
import io.statesys.console.session.ConsoleView;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The site hierarchy as the state processor sees it ({@code GET /api/v1/sites}): links and lag. */
@Path("/")
@ConsoleView
public class SitePages {
    /** The templates under {@code templates/console/}, their parameters checked when the build runs. */
    @CheckedTemplate(basePath = "console", defaultName = CheckedTemplate.HYPHENATED_ELEMENT_NAME)
    static class Templates {
        static native TemplateInstance sites(Page page, SitesView view);
    }

    @TemplateData
    public record Site(String siteCode, String parent, String role, String status, Double lagSeconds, String lastReceivedAt,
            long refusedRows) {
    }

    @TemplateData
    public record SitesView(String asOf, boolean answered, String failure, List<Site> sites) {
    }

    private final ServiceProbe probe;

    public SitePages(ServiceProbe probe) {
        this.probe = probe;
    }

    @GET
    @Path("/console/sites")
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public Uni<TemplateInstance> html(@Context ContainerRequestContext request) {
        return load().map(v -> Templates.sites(Page.of(request, "Sites", "sites", v.asOf(), null), v));
    }

    @GET
    @Path("/api/v1/console/sites")
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<SitesView> json() {
        return load();
    }

    Uni<SitesView> load() {
        return probe.sites().map(a -> {
            JsonArray array = a.status() == 200 ? a.jsonArray() : null;
            if (array == null) {
                return new SitesView(Page.time(Instant.now()), false, a.status() == 0 ? a.failure() : "HTTP " + a.status(), List.of());
            }
            List<Site> sites = new ArrayList<>();
            for (Object o : array) {
                JsonObject s = (JsonObject) o;
                Number lag = (Number) s.getValue("lagSeconds");
                sites.add(new Site(s.getString("siteCode"), s.getString("parent"), s.getString("role"), s.getString("status"),
                        lag == null ? null : lag.doubleValue(), s.getString("lastReceivedAt"),
                        s.getLong("refusedRows", 0L)));
            }
            return new SitesView(Page.time(Instant.now()), true, null, sites);
        });
    }
}
