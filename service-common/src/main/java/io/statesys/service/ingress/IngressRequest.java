package io.statesys.service.ingress;

import io.statesys.service.identity.SignatureFields;

/** A report as it arrived at an ingress: its bytes exactly as sent and the headers that matter. */
public record IngressRequest(String service, String contentType, String contentEncoding, byte[] body,
                             SignatureFields signature, String authorization) {
    public IngressRequest {
        body = body == null ? new byte[0] : body;
        signature = signature == null ? new SignatureFields(null, null, null) : signature;
    }
}
