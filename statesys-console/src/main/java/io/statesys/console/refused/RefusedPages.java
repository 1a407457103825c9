package io.statesys.console.refused;

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
import io.statesys.service.ingress.RefusedBodies;
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

/**
 * Refused input: why reports were refused, each body decoded and indented whatever its encoding, and
 * the raw bytes; the loader's invalid records, each re-queued on an admin's word (the processor's own
 * endpoint, called with the admin token, as the FSP page does for dead letters).
 */
@Path("/")
@ConsoleView
public class RefusedPages {
    /** The templates under {@code templates/console/}, their parameters checked when the build runs. */
    @CheckedTemplate(basePath = "console", defaultName = CheckedTemplate.HYPHENATED_ELEMENT_NAME)
    static class Templates {
        static native TemplateInstance refused(Page page, RefusedView view);
        static native TemplateInstance refusedBody(Page page, BodyView view);
    }

    /** Enough for any report within the body limit's usual size; a longer text is cut (the raw download has all). */
    static final int SHOWN_CHARS = 1_000_000;

    @TemplateData
    public record RefusedView(String asOf, String reason, List<RefusedStore.Reason> reasons, List<RefusedStore.Refused> refused,
                              List<RefusedStore.Invalid> invalid) {
    }

    @TemplateData
    public record BodyView(String asOf, RefusedStore.Refused refused, String charset, String text, boolean cut) {
    }

    private final RefusedStore store;
    private final ServiceProbe probe;
    private final ServiceActions actions;

    public RefusedPages(RefusedStore store, ServiceProbe probe, ServiceActions actions) {
        this.store = store;
        this.probe = probe;
        this.actions = actions;
    }

    @GET
    @Path("/console/refused")
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public Uni<TemplateInstance> html(@Context ContainerRequestContext request, @QueryParam("reason") String reason,
                                      @QueryParam("done") String done) {
        return load(reason).map(v -> Templates.refused(Page.of(request, "Refused input", "refused", v.asOf(), done), v));
    }

    /**
     * Puts one invalid record's report back into the inbox through the processor, which loads it like
     * any other (docs/operating.md, "Invalid records"); audited with the messages it held.
     */
    @POST
    @Path("/console/actions/invalid-records/{id}/requeue")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(hidden = true)
    public Uni<Response> requeue(@Context ContainerRequestContext request, @PathParam("id") long id, @FormParam("csrf") String csrf) {
        return ActionGuard.ifAllowed(request, csrf, () -> {
            return actions.carryOut(ConsoleSession.of(request), probe.requeueInvalidRecord(id), "processor", "/console/refused",
                    "invalid record " + id, "re-queued", "requeue-invalid-record");
        });
    }

    @GET
    @Path("/api/v1/console/refused")
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<RefusedView> json(@QueryParam("reason") String reason) {
        return load(reason);
    }

    @GET
    @Path("/console/refused/{id}")
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public Uni<TemplateInstance> bodyHtml(@Context ContainerRequestContext request, @PathParam("id") long id) {
        return decoded(id).map(v -> Templates.refusedBody(Page.of(request, "Refused report " + id, "refused", v.asOf(), null), v));
    }

    @GET
    @Path("/api/v1/console/refused/{id}")
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<BodyView> bodyJson(@PathParam("id") long id) {
        return decoded(id);
    }

    /** The body exactly as it came, to open in another tool. */
    @GET
    @Path("/console/refused/{id}/raw")
    @Produces(MediaType.APPLICATION_OCTET_STREAM)
    @Operation(hidden = true)
    public Uni<Response> raw(@PathParam("id") long id) {
        return store.one(id).map(b -> {
            RefusedStore.Body found = b.orElseThrow(() -> unknown(id));
            return Response.ok(found.body() == null ? new byte[0] : found.body(), MediaType.APPLICATION_OCTET_STREAM_TYPE)
                    .header("Content-Disposition", "attachment; filename=\"refused-" + id + (found.refused().contentEncoding() != null
                            && found.refused().contentEncoding().toLowerCase(java.util.Locale.ROOT).contains("gzip") ? ".xml.gz" : ".xml") + "\"")
                    .header("X-Content-Type-Options", "nosniff").build();
        });
    }

    Uni<RefusedView> load(String reason) {
        String r = reason == null || reason.isBlank() ? null : reason;
        return Uni.combine().all().unis(store.reasons(), store.recent(r), store.invalid()).asTuple()
                .map(t -> new RefusedView(Page.time(Instant.now()), r, t.getItem1(), t.getItem2(), t.getItem3()));
    }

    Uni<BodyView> decoded(long id) {
        return store.one(id).map(b -> {
            RefusedStore.Body found = b.orElseThrow(() -> unknown(id));
            byte[] bytes = found.body() == null ? new byte[0] : found.body();
            String text = RefusedBodies.text(bytes, found.refused().contentEncoding(), 16L * 1024 * 1024);
            boolean cut = text.length() > SHOWN_CHARS;
            String shown = XmlIndent.indent(cut ? text.substring(0, SHOWN_CHARS) : text);
            return new BodyView(Page.time(Instant.now()), found.refused(), RefusedBodies.describe(bytes), shown, cut);
        });
    }

    private static ApiException unknown(long id) {
        return ApiException.notFound("unknown_refused_report", "no refused report " + id + " is kept (they are pruned by count and age)");
    }
}
