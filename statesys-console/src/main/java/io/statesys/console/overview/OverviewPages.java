package io.statesys.console.overview;

import io.statesys.console.services.ServiceProbe;
import io.statesys.console.samples.Samples;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Uni;
import io.statesys.console.Page;
import io.statesys.console.session.ConsoleView;
import io.vertx.core.json.JsonObject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import org.eclipse.microprofile.openapi.annotations.Operation;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The console's first page, and its JSON twin. */
@Path("/")
@ConsoleView
public class OverviewPages {
    /** The templates under {@code templates/console/}, their parameters checked when the build runs. */
    @CheckedTemplate(basePath = "console", defaultName = CheckedTemplate.HYPHENATED_ELEMENT_NAME)
    static class Templates {
        static native TemplateInstance overview(Page page, Overview view);
    }

    /** Rates are measured over at least this much sampled history. */
    static final Duration RATE_WINDOW = Duration.ofMinutes(5);
    static final int MAX_POINTS = 240;

    private final OverviewStore store;
    private final Samples samples;
    private final ServiceProbe probe;
    private final int selfPort;

    public OverviewPages(OverviewStore store, Samples samples, ServiceProbe probe,
                        @ConfigProperty(name = "quarkus.http.port") int port, @ConfigProperty(name = "quarkus.http.test-port", defaultValue = "8081") int testPort) {
        this.store = store;
        this.samples = samples;
        this.probe = probe;
        this.selfPort = io.quarkus.runtime.LaunchMode.current() == io.quarkus.runtime.LaunchMode.TEST ? testPort : port;
    }

    @GET
    @Path("/console")
    @Operation(hidden = true)
    public Response root() {
        return io.statesys.console.signin.ConsoleHeaders.redirect("/console/overview").build();
    }

    @GET
    @Path("/console/overview")
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public Uni<TemplateInstance> html(@Context ContainerRequestContext request, @QueryParam("hours") @DefaultValue("6") int hours,
                                      @QueryParam("done") String done) {
        return load(hours).map(v -> Templates.overview(Page.of(request, "Overview", "overview", v.asOf(), done), v));
    }

    @GET
    @Path("/api/v1/console/overview")
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Overview> json(@QueryParam("hours") @DefaultValue("6") int hours) {
        return load(hours);
    }

    Uni<Overview> load(int hours) {
        int h = Math.max(1, Math.min(hours, 168));
        return Uni.combine().all().unis(store.live(), samples.since(h * 3600L), probe.all(selfPort), probe.fspStatus())
                .asTuple().map(t -> assemble(t.getItem1(), t.getItem2(), t.getItem3(), t.getItem4(), h));
    }

    static Overview assemble(OverviewStore.Live live, List<Samples.Sample> history, List<ServiceProbe.Health> services,
                             ServiceProbe.Answer fspAnswer, int hours) {
        // rates: the live figures against the newest sample at least RATE_WINDOW old (or the oldest there is)
        Samples.Sample base = null;
        for (Samples.Sample s : history) {
            if (!s.at().isAfter(live.asOf().minus(RATE_WINDOW))) {
                base = s;
            }
        }
        if (base == null && !history.isEmpty() && history.get(0).at().isBefore(live.asOf().minusSeconds(20))) {
            base = history.get(0);
        }
        Double in = null;
        Double out = null;
        Long toEmpty = live.inboxMessages() == 0 ? 0L : null;
        String trend = live.inboxMessages() == 0 ? "empty" : "not enough samples yet";
        if (base != null) {
            double secs = Math.max(1, Duration.between(base.at(), live.asOf()).toMillis() / 1000.0);
            in = round((live.processed() + live.inboxMessages() - base.received()) / secs);
            out = round((live.processed() - base.processed()) / secs);
            double net = out - in;
            if (live.inboxMessages() > 0) {
                if (net > 0) {
                    toEmpty = (long) Math.ceil(live.inboxMessages() / net);
                    trend = "draining";
                } else {
                    trend = net == 0 ? "steady" : "growing";
                }
            }
        }
        Overview.Backlog backlog = new Overview.Backlog(live.inboxReports(), live.inboxMessages(), live.oldestAgeSeconds(), in, out, toEmpty, trend);
        JsonObject f = fspAnswer.status() == 200 ? fspAnswer.json() : null;
        Overview.Fsp fsp = f == null ? new Overview.Fsp("UNREACHABLE", null, null, null, null, null, null, fspAnswer.failure())
                : new Overview.Fsp("UP", f.getLong("queued"), f.getLong("oldestQueuedAgeSeconds"),
                f.getJsonObject("throttle", new JsonObject()).getInteger("messages"),
                f.getJsonObject("throttle", new JsonObject()).getLong("intervalSeconds"), f.getLong("deadLetters"),
                f.getLong("forwarded"), f.getString("lastError"));
        Overview.Resyncs resyncs = new Overview.Resyncs(live.outstanding(), live.reissued(), live.oldestResyncAgeSeconds(), live.capHits());
        return new Overview(Page.time(live.asOf()), services, backlog, fsp, live.invalidRecords(), live.refused(), live.refusedLastHour(),
                resyncs, hours, charts(history));
    }

    static List<Chart> charts(List<Samples.Sample> history) {
        int step = Math.max(1, (history.size() + MAX_POINTS - 1) / MAX_POINTS);
        List<Chart.Point> depth = new ArrayList<>();
        List<Chart.Point> in = new ArrayList<>();
        List<Chart.Point> out = new ArrayList<>();
        Samples.Sample prev = null;
        for (int i = 0; i < history.size(); i += step) {
            Samples.Sample s = history.get(i);
            depth.add(new Chart.Point(s.at(), s.inboxMessages()));
            if (prev != null) {
                double secs = Math.max(1, Duration.between(prev.at(), s.at()).toMillis() / 1000.0);
                in.add(new Chart.Point(s.at(), round(Math.max(0, s.received() - prev.received()) / secs)));
                out.add(new Chart.Point(s.at(), round(Math.max(0, s.processed() - prev.processed()) / secs)));
            }
            prev = s;
        }
        return List.of(new Chart("Inbox depth", "messages", depth), new Chart("Messages received", "msg/s", in),
                new Chart("Messages processed", "msg/s", out));
    }

    static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }
}
