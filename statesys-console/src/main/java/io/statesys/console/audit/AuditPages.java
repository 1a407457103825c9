package io.statesys.console.audit;

import io.quarkus.qute.TemplateData;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Uni;
import io.statesys.console.Page;
import io.statesys.console.session.ConsoleView;
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
public class AuditPages {
    /** The templates under {@code templates/console/}, their parameters checked when the build runs. */
    @CheckedTemplate(basePath = "console", defaultName = CheckedTemplate.HYPHENATED_ELEMENT_NAME)
    static class Templates {
        static native TemplateInstance audit(Page page, AuditView view);
    }

    @TemplateData
    public record AuditView(String asOf, List<ConsoleAudit.Entry> entries) {
    }

    private final ConsoleAudit audit;

    public AuditPages(ConsoleAudit audit) {
        this.audit = audit;
    }

    @GET
    @Path("/console/audit")
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public Uni<TemplateInstance> html(@Context ContainerRequestContext request, @QueryParam("action") String action) {
        return load(action).map(v -> Templates.audit(Page.of(request, "Audit", "audit", v.asOf(), null), v));
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
