package io.statesys.console.fsp;

import io.quarkus.qute.TemplateData;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Uni;
import io.statesys.console.Page;
import io.statesys.console.actions.ServiceActions;
import io.statesys.console.services.ServiceProbe;
import io.statesys.console.actions.ActionGuard;
import io.statesys.console.session.ConsoleSession;
import io.statesys.console.session.ConsoleView;
import io.statesys.service.error.ApiException;
import io.vertx.core.json.JsonObject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The fallback status point: its queue and throttle as it reports them, its dead letters (inspect,
 * re-queue, discard — the actions are the FSP's own endpoints, called with the admin token).
 */
@Path("/")
@ConsoleView
public class FspPages {
    /** The templates under {@code templates/console/}, their parameters checked when the build runs. */
    @CheckedTemplate(basePath = "console", defaultName = CheckedTemplate.HYPHENATED_ELEMENT_NAME)
    static class Templates {
        static native TemplateInstance fsp(Page page, FspView view);
        static native TemplateInstance deadLetter(Page page, DeadLetterStore.Inspected view);
    }

    @TemplateData
    public record FspView(String asOf, String status, Map<String, Object> fspStatus, List<DeadLetterStore.DeadLetter> deadLetters) {
    }

    private final DeadLetterStore store;
    private final ServiceProbe probe;
    private final ServiceActions actions;

    public FspPages(DeadLetterStore store, ServiceProbe probe, ServiceActions actions) {
        this.store = store;
        this.probe = probe;
        this.actions = actions;
    }

    @GET
    @Path("/console/fsp")
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public Uni<TemplateInstance> html(@Context ContainerRequestContext request, @QueryParam("done") String done) {
        return load().map(v -> Templates.fsp(Page.of(request, "Fallback status point", "fsp", v.asOf(), done), v));
    }

    @GET
    @Path("/api/v1/console/fsp")
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<FspView> json() {
        return load();
    }

    @GET
    @Path("/console/fsp/dead-letters/{id}")
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public Uni<TemplateInstance> inspectHtml(@Context ContainerRequestContext request, @PathParam("id") long id) {
        return inspected(id).map(v -> Templates.deadLetter(Page.of(request, "Dead letter " + id, "fsp", Page.time(Instant.now()), null), v));
    }

    @GET
    @Path("/api/v1/console/fsp/dead-letters/{id}")
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<DeadLetterStore.Inspected> inspectJson(@PathParam("id") long id) {
        return inspected(id);
    }

    @POST
    @Path("/console/actions/dead-letters/{id}/{action}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(hidden = true)
    public Uni<Response> act(@Context ContainerRequestContext request, @PathParam("id") long id, @PathParam("action") String action,
                             @FormParam("csrf") String csrf) {
        return ActionGuard.ifAllowed(request, csrf, () -> {
            boolean requeue = "requeue".equals(action);
            if (!requeue && !"discard".equals(action)) {
                return Uni.createFrom().item(ActionGuard.done("/console/fsp", "Unknown action " + action));
            }
            return actions.carryOut(ConsoleSession.of(request), requeue ? probe.requeueDeadLetter(id) : probe.discardDeadLetter(id),
                    "FSP", "/console/fsp", "dead letter " + id, requeue ? "re-queued" : "discarded",
                    requeue ? "requeue-dead-letter" : "discard-dead-letter");
        });
    }

    Uni<FspView> load() {
        return Uni.combine().all().unis(probe.fspStatus(), store.recent()).asTuple().map(t -> {
            JsonObject status = t.getItem1().status() == 200 ? t.getItem1().json() : null;
            return new FspView(Page.time(Instant.now()), status == null ? "UNREACHABLE" : "UP", status == null ? Map.of() : status.getMap(), t.getItem2());
        });
    }

    Uni<DeadLetterStore.Inspected> inspected(long id) {
        return store.one(id).map(o -> o.orElseThrow(() -> ApiException.notFound("unknown_dead_letter",
                "no dead letter " + id + " (re-queued or discarded already?)")));
    }
}
