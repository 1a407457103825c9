package io.statesys.resync.console.audit;

import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateData;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Uni;
import io.statesys.resync.console.Page;
import io.statesys.resync.console.signin.ConsoleView;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import org.eclipse.microprofile.openapi.annotations.Operation;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;

import java.time.Instant;
import java.util.List;

/** The audit trail, newest first. */
@Path("/")
@ConsoleView
public class AuditPage {
    @TemplateData
    public record AuditView(String asOf, List<ConsoleAudit.Entry> entries) {
    }

    private final ConsoleAudit audit;
    private final Template template;

    public AuditPage(ConsoleAudit audit, @Location("console/audit") Template template) {
        this.audit = audit;
        this.template = template;
    }

    @GET
    @Path("/console/audit")
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public Uni<TemplateInstance> html(@Context ContainerRequestContext request, @QueryParam("action") String action) {
        return load(action).map(v -> template.data("page", Page.of(request, "Audit", "audit", v.asOf(), null)).data("view", v));
    }

    @GET
    @Path("/api/v1/console/audit")
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<AuditView> json(@QueryParam("action") String action) {
        return load(action);
    }

    Uni<AuditView> load(String action) {
        return audit.recent(action == null || action.isBlank() ? null : action, 500).map(e -> new AuditView(Page.time(Instant.now()), e));
    }
}
