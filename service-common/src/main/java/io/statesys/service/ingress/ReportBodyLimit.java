package io.statesys.service.ingress;

import io.statesys.core.contract.ContractPaths;
import io.statesys.core.config.StatesysConfig;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * The body of a report POST is read here, before anything else sees it ({@link ReportUpload}):
 * counted and charged to the replica's in-flight budget as it arrives, held to a deadline and a
 * minimum rate. Every body over {@code statesys.limits.max-body-bytes} answers the contract's JSON
 * {@code 413 report_too_large}, whether it declares its length (refused before a byte is read) or
 * streams chunked. Quarkus's generic limit ({@code quarkus.http.limits.max-body-size}) stays for
 * every other route and must be at least this one. A gzip body is counted as sent; its inflated
 * size is checked again while inflating ({@code BodyDecoder}).
 */
@ApplicationScoped
public class ReportBodyLimit {
    /** Before Quarkus's own upload limit (order -2 in its router), so that one never answers for reports. */
    static final int ORDER = -3;
    static final String PATH = ContractPaths.STATE_MESSAGES;
    static final String BODY_TIMEOUT = "body_timeout";

    private final Vertx vertx;
    private final InFlightGate gate;
    private final UploadRules rules;

    public ReportBodyLimit(StatesysConfig config, Vertx vertx, InFlightGate gate) {
        this.vertx = vertx;
        this.gate = gate;
        StatesysConfig.Limits limits = config.limits();
        long max = limits.maxBodyBytes();
        Buffer tooLarge = EarlyAnswer.json(ReportRejectedException.TOO_LARGE,
                "body exceeds the limit of " + max + " bytes (statesys.limits.max-body-bytes)");
        Buffer timedOut = timedOut(limits);
        this.rules = new UploadRules(max, 4 * max, limits.bodyTimeout(), limits.minBodyRate(), limits.bodyRateWindow(),
                tooLarge, 413, gate.busyAnswer(), timedOut);
    }

    static Buffer timedOut(StatesysConfig.Limits limits) {
        return EarlyAnswer.json(BODY_TIMEOUT, "the body did not arrive in time: at least " + limits.minBodyRate()
                + " bytes a second (statesys.limits.min-body-rate) and all of it within " + limits.bodyTimeout().toSeconds()
                + " s (statesys.limits.body-timeout)");
    }

    void install(@Observes Router router) {
        router.route(HttpMethod.POST, PATH).order(ORDER).handler(this::read);
    }

    private void read(RoutingContext ctx) {
        read(ctx, vertx, rules, gate.inFlight());
    }

    /** A declared length over the limit is refused before a byte is read; any other body is read as it arrives. */
    static void read(RoutingContext ctx, Vertx vertx, UploadRules rules, ReportsInFlight inFlight) {
        if (EarlyAnswer.declaredLength(ctx.request()) > rules.maxBodyBytes()) {
            EarlyAnswer.send(ctx, rules.tooLargeStatus(), rules.tooLarge(), rules.drainBytes(), null);
            return;
        }
        new ReportUpload(ctx, vertx, rules, inFlight).start();
    }

    /**
     * The report body read here (the ingress resources take it from the routing context, not as an
     * entity parameter, so nothing reads the request a second time). Empty when none was sent.
     */
    public static byte[] body(RoutingContext ctx) {
        io.vertx.ext.web.RequestBody body = ctx.body();
        Buffer b = body == null ? null : body.buffer();
        return b == null ? new byte[0] : b.getBytes();
    }
}
