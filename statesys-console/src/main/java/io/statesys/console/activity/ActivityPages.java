package io.statesys.console.activity;

import io.quarkus.qute.TemplateData;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Uni;
import io.statesys.console.Page;
import io.statesys.console.samples.Samples;
import io.statesys.console.session.ConsoleView;
import io.vertx.core.json.JsonObject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.util.ArrayList;
import java.util.List;

/**
 * Floods (clients sending far more than their usual rate: the original's "Use Server Groups" clients
 * sending a message a minute, resync storms) and activity (who is alive, who is an obsolete
 * candidate). Both read the latest sample: they weigh every client, once per sample, not per view.
 */
@Path("/")
@ConsoleView
public class ActivityPages {
    /** The templates under {@code templates/console/}, their parameters checked when the build runs. */
    @CheckedTemplate(basePath = "console", defaultName = CheckedTemplate.HYPHENATED_ELEMENT_NAME)
    static class Templates {
        static native TemplateInstance floods(Page page, FloodView view);
        static native TemplateInstance activity(Page page, ActivityView view);
    }

    @TemplateData
    public record Flood(String clientId, String siteCode, String netbiosName, long sinceMark, double perHour, double usualPerHour,
                        int windowMinutes) {
        public String ratio() {
            return usualPerHour <= 0 ? "new" : String.format(java.util.Locale.ROOT, "%.1f×", perHour / usualPerHour);
        }
    }

    @TemplateData
    public record FloodView(String asOf, boolean sampled, List<Flood> floods) {
    }

    @TemplateData
    public record Candidate(String clientId, String siteCode, String netbiosName, String lastSeen) {
    }

    @TemplateData
    public record ActivityView(String asOf, boolean sampled, long clients, long active24h, long active7d, long notSeen30d,
                               long neverReported, List<Candidate> obsoleteCandidates) {
    }

    private final Samples samples;

    public ActivityPages(Samples samples) {
        this.samples = samples;
    }

    @GET
    @Path("/console/floods")
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public Uni<TemplateInstance> floodsHtml(@Context ContainerRequestContext request) {
        return floods().map(v -> Templates.floods(Page.of(request, "Floods", "floods", v.asOf(), null), v));
    }

    @GET
    @Path("/api/v1/console/floods")
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<FloodView> floodsJson() {
        return floods();
    }

    @GET
    @Path("/console/activity")
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public Uni<TemplateInstance> activityHtml(@Context ContainerRequestContext request) {
        return activity().map(v -> Templates.activity(Page.of(request, "Activity", "activity", v.asOf(), null), v));
    }

    @GET
    @Path("/api/v1/console/activity")
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<ActivityView> activityJson() {
        return activity();
    }

    Uni<FloodView> floods() {
        return samples.latest().map(l -> {
            if (l.isEmpty()) {
                return new FloodView(Page.time(java.time.Instant.now()), false, List.of());
            }
            List<Flood> out = new ArrayList<>();
            for (Object o : l.get().floods()) {
                JsonObject f = (JsonObject) o;
                out.add(new Flood(f.getString("clientId"), f.getString("siteCode"), f.getString("netbiosName"), f.getLong("sinceMark"),
                        f.getDouble("perHour"), f.getDouble("usualPerHour"), f.getInteger("windowMinutes")));
            }
            return new FloodView(Page.time(l.get().sample().at()), true, out);
        });
    }

    /** From the latest sample: counting (and sorting) every client's last report is the sampler's job, not a page view's. */
    Uni<ActivityView> activity() {
        return samples.latest().map(latest -> latest.map(l -> {
            List<Candidate> candidates = new ArrayList<>();
            for (Object o : l.obsolete()) {
                JsonObject c = (JsonObject) o;
                candidates.add(new Candidate(c.getString("clientId"), c.getString("siteCode"), c.getString("netbiosName"), c.getString("lastSeen")));
            }
            return new ActivityView(Page.time(l.sample().at()), true, l.sample().clients(), l.sample().active24h(), l.sample().active7d(),
                    l.sample().stale30d(), l.sample().neverReported(), candidates);
        }).orElse(new ActivityView(Page.time(java.time.Instant.now()), false, 0, 0, 0, 0, 0, List.of())));
    }
}
