package io.statesys.service.ingress;

import io.statesys.core.contract.ContractPaths;
import io.statesys.core.config.StatesysConfig;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Every report body over {@code statesys.limits.max-body-bytes} answers the contract's JSON
 * {@code 413 report_too_large}, whether it declares its length or streams chunked: the body of a
 * report POST is read here, counted as it arrives, before anything else sees it. Vert.x's
 * {@link BodyHandler} counts and refuses (a declared length over the limit before a byte is read);
 * its refusal is answered here instead of with the bare status and closed connection Quarkus's
 * generic limit gives (that limit, {@code quarkus.http.limits.max-body-size}, stays for every other
 * route and must be at least this one). A gzip body is counted as sent; its inflated size is
 * checked again while inflating ({@code BodyDecoder}).
 */
@ApplicationScoped
public class ReportBodyLimit {
    /** Before Quarkus's own upload limit (order -2 in its router), so that one never answers for reports. */
    static final int ORDER = -3;
    static final String PATH = ContractPaths.STATE_MESSAGES;

    private final long maxBodyBytes;
    /** How much of a refused body is read and dropped before the connection is closed instead. */
    private final long drainBytes;
    private final Buffer tooLarge;

    public ReportBodyLimit(StatesysConfig config) {
        this.maxBodyBytes = config.limits().maxBodyBytes();
        this.drainBytes = 4 * maxBodyBytes;
        // the shape of every error answer (ApiError)
        this.tooLarge = new JsonObject().put("error", ReportRejectedException.TOO_LARGE)
                .put("detail", "body exceeds the limit of " + maxBodyBytes + " bytes (statesys.limits.max-body-bytes)").toBuffer();
    }

    void install(@Observes Router router) {
        router.route(HttpMethod.POST, PATH).order(ORDER)
                .handler(BodyHandler.create(false).setBodyLimit(maxBodyBytes).setPreallocateBodyBuffer(false))
                .failureHandler(this::answerTooLarge);
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

    private void answerTooLarge(RoutingContext ctx) {
        if (ctx.statusCode() != 413 || ctx.response().headWritten()) {
            ctx.next();
            return;
        }
        EarlyAnswer.send(ctx, 413, tooLarge, drainBytes, null);
    }
}
