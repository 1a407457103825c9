package io.statesys.service.ingress;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/**
 * An answer given before a report's body has been read (too large, too many in flight). The rest
 * of the body is read and dropped, so a client that sends its whole body before reading still gets
 * the answer and keeps its connection; past a bound the connection is closed instead.
 */
final class EarlyAnswer {
    private EarlyAnswer() {
    }

    /** The error contract's body ({@code ApiError}: error and detail), ready to send as an early answer. */
    static Buffer json(String error, String detail) {
        return new io.vertx.core.json.JsonObject().put("error", error).put("detail", detail).toBuffer();
    }

    static void send(RoutingContext ctx, int status, Buffer json, long drainBytes, String retryAfter) {
        HttpServerRequest request = ctx.request();
        boolean drain = !request.isEnded() && declaredLength(request) <= drainBytes;
        if (drain) {
            long[] dropped = {0};
            request.handler(chunk -> {
                dropped[0] += chunk.length();
                if (dropped[0] > drainBytes) {
                    request.connection().close();
                }
            });
            request.resume();
        }
        HttpServerResponse response = ctx.response().setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
        if (retryAfter != null) {
            response.putHeader("Retry-After", retryAfter);
        }
        response.end(json.copy()).onComplete(done -> {
            if (!drain && !request.isEnded()) {
                request.connection().close();
            }
        });
    }

    /** The declared Content-Length; -1 when there is none (a chunked body, counted as it comes). */
    static long declaredLength(HttpServerRequest request) {
        String declared = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (declared == null) {
            return -1;
        }
        try {
            return Long.parseLong(declared.trim());
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }
}
