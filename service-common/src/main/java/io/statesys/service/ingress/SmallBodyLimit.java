package io.statesys.service.ingress;

import io.statesys.core.config.StatesysConfig;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The body of a small unauthenticated door (a registration) read as a report's is — charged to the
 * in-flight budget as it arrives, held to the same deadline and minimum rate — but refused as soon
 * as it passes the door's own limit: a declared length over it before a byte is read, a chunked body
 * at the first byte past it. Without this the generic limit (16 MiB) would be read before the door's
 * own check. The resource takes the body from {@link ReportBodyLimit#body}.
 */
@ApplicationScoped
public class SmallBodyLimit {
    private final Vertx vertx;
    private final InFlightGate gate;
    private final StatesysConfig.Limits limits;

    public SmallBodyLimit(StatesysConfig config, Vertx vertx, InFlightGate gate) {
        this.vertx = vertx;
        this.gate = gate;
        this.limits = config.limits();
    }

    /** A route handler (order {@link ReportBodyLimit#ORDER}) that reads at most {@code max} bytes, else answers {@code status} with the JSON error. */
    public Handler<RoutingContext> reader(long max, int status, String error, String detail) {
        Buffer tooLarge = EarlyAnswer.json(error, detail);
        UploadRules rules = new UploadRules(max, 4 * max, limits.bodyTimeout(), limits.minBodyRate(), limits.bodyRateWindow(),
                tooLarge, status, gate.busyAnswer(), ReportBodyLimit.timedOut(limits));
        return ctx -> ReportBodyLimit.read(ctx, vertx, rules, gate.inFlight());
    }

    public static int order() {
        return ReportBodyLimit.ORDER;
    }
}
