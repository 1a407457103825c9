package io.statesys.console.resyncs;

import io.quarkus.qute.TemplateData;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Uni;
import io.statesys.console.ConsoleConfig;
import io.statesys.core.report.ClientId;
import io.statesys.console.Page;
import io.statesys.console.audit.ConsoleAudit;
import io.statesys.console.actions.ActionGuard;
import io.statesys.console.session.ConsoleSession;
import io.statesys.console.session.ConsoleView;
import io.statesys.service.resync.ForcedResyncs;
import io.vertx.mutiny.sqlclient.Pool;
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

import java.util.List;

/** Gaps and resyncs: what is outstanding, who lost most, the storm cap; force a resync for one client or a filtered set. */
@Path("/")
@ConsoleView
public class ResyncPages {
    /** The templates under {@code templates/console/}, their parameters checked when the build runs. */
    @CheckedTemplate(basePath = "console", defaultName = CheckedTemplate.HYPHENATED_ELEMENT_NAME)
    static class Templates {
        static native TemplateInstance resyncs(Page page, ResyncView view);
        static native TemplateInstance resyncConfirm(Page page, Confirmation view);
    }

    @TemplateData
    public record ResyncView(String asOf, ResyncStore.Counts counts, List<ResyncStore.Request> outstanding,
                             List<ResyncStore.Gapped> mostMissing, List<ResyncStore.CheckRun> checkRuns, int maxBulk) {
    }

    @TemplateData
    public record Confirmation(ResyncStore.Filter filter, long matching, int maxBulk, boolean tooMany) {
    }

    private final ResyncStore store;
    private final ForcedResyncs forced;
    private final ConsoleAudit audit;
    private final Pool pool;
    private final ConsoleConfig config;

    public ResyncPages(ResyncStore store, ForcedResyncs forced, ConsoleAudit audit, Pool pool, ConsoleConfig config) {
        this.store = store;
        this.forced = forced;
        this.audit = audit;
        this.pool = pool;
        this.config = config;
    }

    @GET
    @Path("/console/resyncs")
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public Uni<TemplateInstance> html(@Context ContainerRequestContext request, @QueryParam("done") String done) {
        return load().map(v -> Templates.resyncs(Page.of(request, "Gaps and resyncs", "resyncs", v.asOf(), done), v));
    }

    @GET
    @Path("/api/v1/console/resyncs")
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<ResyncView> json() {
        return load();
    }

    Uni<ResyncView> load() {
        return Uni.combine().all().unis(store.counts(), store.outstanding(), store.mostMissing(), store.checkRuns()).asTuple()
                .map(t -> new ResyncView(t.getItem1().asOf(), t.getItem1(), t.getItem2(), t.getItem3(), t.getItem4(),
                        config.maxBulkResync()));
    }

    /** One client (of this site, or ordered down to its own site), from the client page or the form here. */
    @POST
    @Path("/console/actions/resync")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(hidden = true)
    public Uni<Response> forceOne(@Context ContainerRequestContext request, @FormParam("csrf") String csrf,
                                  @FormParam("clientId") String clientId, @FormParam("back") String back) {
        return ActionGuard.ifAllowedForClient(request, csrf, clientId, "/console/resyncs", client -> {
            ConsoleSession who = ConsoleSession.of(request);
            String target = ClientId.format(client);
            return pool.withTransaction(conn -> forced.force(conn, client).call(r -> audit.record(conn, who, "force-resync", target, 1,
                            r.orderedDown() ? "ordered down to site " + r.siteCode() : "request " + r.requestId() + " at " + r.siteCode()
                                    + (r.reissueCount() > 0 ? ", re-issued (" + r.reissueCount() + ")" : ""))))
                    .map(r -> ActionGuard.done("clients".equals(back) ? "/console/clients/" + target : "/console/resyncs",
                            r.orderedDown() ? "Resync ordered down to site " + r.siteCode() + " for " + target
                                    : "Resync request " + r.requestId() + " issued for " + target));
        });
    }

    /** Without {@code confirm}: says how many clients the filter matches and asks; with it: forces them (at most max-bulk-resync). */
    @POST
    @Path("/console/actions/resync-bulk")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public Uni<Object> forceMany(@Context ContainerRequestContext request, @FormParam("csrf") String csrf, @FormParam("kind") String kind,
                                 @FormParam("topicType") Integer topicType, @FormParam("topicId") String topicId,
                                 @FormParam("stateId") Integer stateId, @FormParam("gapHours") Integer gapHours,
                                 @FormParam("confirm") Long confirmed) {
        return ActionGuard.ifAllowed(request, csrf, () -> {
            ResyncStore.Filter filter = new ResyncStore.Filter(kind, topicType, topicId == null ? null : topicId.strip(), stateId, gapHours);
            if (!filter.valid()) {
                return Uni.createFrom().item(ActionGuard.done("/console/resyncs", "Incomplete filter: give a topic type, id and state, or a gap age in hours."));
            }
            int max = config.maxBulkResync();
            if (confirmed == null) {
                return store.count(filter).map(n -> Templates.resyncConfirm(Page.of(request, "Confirm resync", "resyncs", Page.time(java.time.Instant.now()), null), new Confirmation(filter, n, max, n > max)));
            }
            ConsoleSession who = ConsoleSession.of(request);
            return pool.withTransaction(conn -> store.force(conn, filter, (int) Math.min(max, Math.max(0, confirmed)))
                            .call(n -> audit.record(conn, who, "force-resync-bulk", filter.describe(), n, "confirmed for " + confirmed)))
                    .map(n -> ActionGuard.done("/console/resyncs", "Resync forced for " + n + " " + filter.describe()));
        });
    }
}
