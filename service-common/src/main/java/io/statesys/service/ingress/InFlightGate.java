package io.statesys.service.ingress;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.statesys.core.config.StatesysConfig;
import io.statesys.service.forwarding.ForwardedReports;
import io.statesys.service.identity.IdentityGate;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Admits report POSTs only while the bodies this replica holds fit its budget
 * ({@code statesys.limits.max-inflight-body-bytes}, {@link ReportsInFlight}); otherwise
 * {@code 503 busy} with Retry-After, as for a database that is away: the client keeps its report and
 * sends it again.
 * <ul>
 * <li>A client's report is charged as its bytes arrive ({@link ReportUpload}); one source address
 * may have at most {@code statesys.limits.max-uploads-per-address} uploads under way.</li>
 * <li>The FSP's batch door is refused ({@code 401 internal_token_required}) before a byte of its
 * body is read unless it carries the internal token; a batch that does is charged its declared
 * length (or the largest report's, chunked) up front, as the FSP is trusted not to idle.</li>
 * </ul>
 * What a request holds is given back when its answer has gone.
 */
@ApplicationScoped
public class InFlightGate {
    static final int ORDER = ReportBodyLimit.ORDER - 1;
    static final String RETRY_AFTER_SECONDS = "1";
    /** The error contract's {@code error} of the answer; the FSP tells a busy relay from a down one by it. */
    public static final String BUSY_ERROR = "busy";

    private final ReportsInFlight inFlight;
    private final long maxBodyBytes;
    private final int maxUploadsPerAddress;
    private final Buffer busy;
    private final Buffer busyAddress;
    private final Buffer notInternal;
    private final Counter refused;
    private final IdentityGate identity;
    /** Uploads under way by source address (an address leaves the map when its last one ends). */
    private final ConcurrentHashMap<String, Integer> uploads = new ConcurrentHashMap<>();

    public InFlightGate(StatesysConfig config, MeterRegistry registry, IdentityGate identity) {
        this.maxBodyBytes = config.limits().maxBodyBytes();
        this.maxUploadsPerAddress = config.limits().maxUploadsPerAddress();
        this.identity = identity;
        this.inFlight = new ReportsInFlight(config.limits().maxInflightBodyBytes()
                .orElse(ReportsInFlight.defaultBudget(Runtime.getRuntime().maxMemory())));
        this.busy = EarlyAnswer.json(BUSY_ERROR, "too many report bytes in flight (budget " + inFlight.budget()
                + " bytes, statesys.limits.max-inflight-body-bytes); send again after Retry-After");
        this.busyAddress = EarlyAnswer.json(BUSY_ERROR, "too many report uploads from this address at once (" + maxUploadsPerAddress
                + ", statesys.limits.max-uploads-per-address); send again after Retry-After");
        this.notInternal = EarlyAnswer.json("internal_token_required",
                "only the fallback status point forwards batches (Authorization: Bearer <statesys.internal.token>)");
        Gauge.builder("statesys.ingress.inflight.bytes", inFlight, ReportsInFlight::held)
                .description("report body bytes this replica holds now").baseUnit("bytes").register(registry);
        Gauge.builder("statesys.ingress.inflight.budget", inFlight, ReportsInFlight::budget)
                .description("statesys.limits.max-inflight-body-bytes in effect").baseUnit("bytes").register(registry);
        Gauge.builder("statesys.ingress.uploads", uploads, u -> u.values().stream().mapToInt(Integer::intValue).sum())
                .description("report uploads under way at this replica").register(registry);
        this.refused = Counter.builder("statesys.ingress.busy")
                .description("reports answered 503 busy: their bodies did not fit the in-flight budget, or their address had too many uploads under way")
                .register(registry);
    }

    void install(@Observes Router router) {
        router.route(HttpMethod.POST, ReportBodyLimit.PATH).order(ORDER).handler(this::admitUpload);
        // the FSP's batches (up to 4 MiB of reports each, several at once) are parsed the same way;
        // refused, the FSP keeps them queued and backs off, as for a relay that is away. They are
        // bounded by Quarkus's generic limit, not the report limit, so a larger one is admitted
        router.route(HttpMethod.POST, ForwardedReports.PATH).order(ORDER).handler(this::admitBatch);
    }

    ReportsInFlight inFlight() {
        return inFlight;
    }

    Buffer busyAnswer() {
        refused.increment();
        return busy;
    }

    private void admitUpload(io.vertx.ext.web.RoutingContext ctx) {
        String source = io.statesys.service.http.SourceQuota.sourceOf(ctx.request());
        int now = uploads.merge(source, 1, Integer::sum);
        if (now > maxUploadsPerAddress) {
            forget(source);
            refused.increment();
            EarlyAnswer.send(ctx, 503, busyAddress, 4 * maxBodyBytes, RETRY_AFTER_SECONDS);
            return;
        }
        boolean[] given = {false};
        ctx.addEndHandler(done -> {
            if (!given[0]) {
                given[0] = true;
                forget(source);
            }
        });
        ctx.next();
    }

    private void forget(String source) {
        uploads.computeIfPresent(source, (k, n) -> n <= 1 ? null : n - 1);
    }

    private void admitBatch(RoutingContext ctx) {
        if (!identity.isInternal(ctx.request().getHeader(HttpHeaders.AUTHORIZATION))) {
            EarlyAnswer.send(ctx, 401, notInternal, 0, null);
            return;
        }
        long declared = EarlyAnswer.declaredLength(ctx.request());
        // no Content-Length: chunked, as large as a report may be
        long share = declared < 0 || declared > maxBodyBytes ? maxBodyBytes : declared;
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
