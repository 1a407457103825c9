package io.statesys.service.ingress;

import io.statesys.service.identity.SignatureFields;

/**
 * A report as it arrived at an ingress: its bytes exactly as sent, the headers that matter, and the
 * address it came from ({@code source}; empty when unknown).
 */
public record IngressRequest(String service, String contentType, String contentEncoding, byte[] body,
                             SignatureFields signature, String authorization, String source) {
    public IngressRequest {
        body = body == null ? new byte[0] : body;
        signature = signature == null ? new SignatureFields(null, null, null) : signature;
        source = source == null ? "" : source;
    }

    /** The remote address of a request (as Quarkus reports it: behind a trusted proxy, the forwarded one). */
    public static String sourceOf(io.vertx.ext.web.RoutingContext ctx) {
        return ctx == null ? "" : io.statesys.service.http.SourceQuota.sourceOf(ctx.request());
    }
}
