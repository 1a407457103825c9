package io.statesys.service.ingress;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.impl.RoutingContextInternal;

/**
 * One report body read as it arrives. Each chunk is charged to the replica's in-flight budget when
 * it comes, never before: a socket that has sent only headers holds nothing, so idle sockets cannot
 * starve the others (a body charged its declared or largest length up front let eight such sockets
 * stop a replica's intake). While it lasts, the upload must bring at least {@code minRate} bytes a
 * second in every rate window and end within the body timeout; otherwise it answers
 * {@code 408 body_timeout} and its connection is closed. The complete body is handed on as Vert.x's
 * body handler would hand it (so no later handler reads the request again).
 */
final class ReportUpload {
    private final RoutingContext ctx;
    private final HttpServerRequest request;
    private final Vertx vertx;
    private final UploadRules rules;
    private final ReportsInFlight inFlight;
    private final long startedNanos = System.nanoTime();
    private Buffer body = Buffer.buffer();
    private long received;
    private long receivedAtLastCheck;
    private long held;
    private long timer = -1;
    private boolean done;

    ReportUpload(RoutingContext ctx, Vertx vertx, UploadRules rules, ReportsInFlight inFlight) {
        this.ctx = ctx;
        this.request = ctx.request();
        this.vertx = vertx;
        this.rules = rules;
        this.inFlight = inFlight;
    }

    void start() {
        ctx.addEndHandler(v -> release());
        if (request.isEnded()) {
            complete();
            return;
        }
        if (request.version() == HttpVersion.HTTP_1_1 && "100-continue".equalsIgnoreCase(request.getHeader(HttpHeaders.EXPECT))) {
            ctx.response().writeContinue();
        }
        request.handler(this::chunk);
        request.endHandler(v -> complete());
        request.exceptionHandler(e -> release());
        timer = vertx.setPeriodic(rules.rateWindow().toMillis(), id -> check());
        request.resume();
    }

    private void chunk(Buffer chunk) {
        if (done) {
            return;
        }
        received += chunk.length();
        if (received > rules.maxBodyBytes()) {
            refuse(rules.tooLarge(), rules.tooLargeStatus(), null, rules.drainBytes());
            return;
        }
        if (!inFlight.tryTakeMore(chunk.length(), held)) {
            refuse(rules.busy(), 503, InFlightGate.RETRY_AFTER_SECONDS, rules.drainBytes());
            return;
        }
        held += chunk.length();
        body.appendBuffer(chunk);
    }

    /** Every rate window: too slow, or too long in all, and the upload ends here. */
    private void check() {
        if (done) {
            return;
        }
        long brought = received - receivedAtLastCheck;
        receivedAtLastCheck = received;
        boolean tooSlow = brought < rules.minRate() * rules.rateWindow().toMillis() / 1000;
        boolean tooLong = System.nanoTime() - startedNanos > rules.timeout().toNanos();
        if (tooSlow || tooLong) {
            // not drained: the rest of a body that does not come is not waited for
            refuse(rules.timedOut(), 408, null, Long.MIN_VALUE);
        }
    }

    private void complete() {
        if (done) {
            return;
        }
        done = true;
        cancelTimer();
        RoutingContextInternal internal = (RoutingContextInternal) ctx;
        internal.visitHandler(RoutingContextInternal.BODY_HANDLER);
        internal.setBody(body);
        body = null;
        ctx.next();
    }

    private void refuse(Buffer json, int status, String retryAfter, long drainBytes) {
        done = true;
        cancelTimer();
        body = null;
        release();
        EarlyAnswer.send(ctx, status, json, drainBytes, retryAfter);
    }

    /** What this upload holds goes back to the budget: once refused, or once its exchange has ended. */
    private void release() {
        cancelTimer();
        if (held > 0) {
            inFlight.giveBack(held);
            held = 0;
        }
    }

    private void cancelTimer() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
            timer = -1;
        }
    }
}
