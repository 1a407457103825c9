package io.statesys.service.ingress;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.statesys.core.config.StatesysConfig;
import io.statesys.service.forwarding.ForwardedReports;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Admits a report POST (a client's, or the FSP's batch of them at the relay) only while the bodies
 * this replica holds fit its budget ({@code statesys.limits.max-inflight-body-bytes},
 * {@link ReportsInFlight}); otherwise answers
 * {@code 503 busy} with Retry-After before reading the body, as for a database that is away: the
 * client keeps its report and sends it again. A body's share is its declared length; a chunked one
 * (no length) counts as the largest legal body, one declared over the limit as nothing (it is
 * refused unread). The share is given back when the answer has gone.
 */
@ApplicationScoped
public class InFlightGate {
    static final int ORDER = ReportBodyLimit.ORDER - 1;
    static final String RETRY_AFTER_SECONDS = "1";
    /** The error contract's {@code error} of the answer; the FSP tells a busy relay from a down one by it. */
    public static final String BUSY_ERROR = "busy";

    private final ReportsInFlight inFlight;
    private final long maxBodyBytes;
    private final Buffer busy;
    private final Counter refused;

    public InFlightGate(StatesysConfig config, MeterRegistry registry) {
        this.maxBodyBytes = config.limits().maxBodyBytes();
        this.inFlight = new ReportsInFlight(config.limits().maxInflightBodyBytes()
                .orElse(ReportsInFlight.defaultBudget(Runtime.getRuntime().maxMemory())));
        this.busy = new JsonObject().put("error", BUSY_ERROR)
                .put("detail", "too many report bytes in flight (budget " + inFlight.budget()
                        + " bytes, statesys.limits.max-inflight-body-bytes); send again after Retry-After").toBuffer();
        Gauge.builder("statesys.ingress.inflight.bytes", inFlight, ReportsInFlight::held)
                .description("report body bytes this replica holds now").baseUnit("bytes").register(registry);
        Gauge.builder("statesys.ingress.inflight.budget", inFlight, ReportsInFlight::budget)
                .description("statesys.limits.max-inflight-body-bytes in effect").baseUnit("bytes").register(registry);
        this.refused = Counter.builder("statesys.ingress.busy")
                .description("reports answered 503 busy: their bodies did not fit the in-flight budget").register(registry);
    }

    void install(@Observes Router router) {
        router.route(HttpMethod.POST, ReportBodyLimit.PATH).order(ORDER).handler(ctx -> admit(ctx, true));
        // the FSP's batches (up to 4 MiB of reports each, several at once) are parsed the same way;
        // refused, the FSP keeps them queued and backs off, as for a relay that is away. They are
        // bounded by Quarkus's generic limit, not the report limit, so a larger one is admitted
        router.route(HttpMethod.POST, ForwardedReports.PATH).order(ORDER).handler(ctx -> admit(ctx, false));
    }

    private void admit(RoutingContext ctx, boolean refusedOverLimit) {
        long declared = EarlyAnswer.declaredLength(ctx.request());
        // no Content-Length: chunked, as large as the limit lets it be; a report declared over the
        // limit is refused (413) before a byte of it is read, so it holds nothing
        long share = declared < 0 ? maxBodyBytes
                : declared > maxBodyBytes ? (refusedOverLimit ? 0 : maxBodyBytes) : declared;
        if (!inFlight.tryTake(share)) {
            refused.increment();
            EarlyAnswer.send(ctx, 503, busy, 4 * maxBodyBytes, RETRY_AFTER_SECONDS);
            return;
        }
        boolean[] given = {false};
        ctx.addEndHandler(done -> {
            if (!given[0]) {
                given[0] = true;
                inFlight.giveBack(share);
            }
        });
        ctx.next();
    }

    /** For tests: what is held now. */
    public long held() {
        return inFlight.held();
    }
}
