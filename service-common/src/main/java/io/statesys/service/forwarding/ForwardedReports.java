package io.statesys.service.forwarding;

import java.util.List;

/**
 * The FSP's batch to the relay ({@code POST /api/v1/forwarded-reports}, docs/api.md): many
 * reports in one call, each exactly as the single-report ingress would take it — its bytes (base64
 * in JSON), their encoding and, for a signed report, its client's signature fields. The relay
 * judges each one as it would alone and commits all it accepts in one transaction.
 */
public record ForwardedReports(List<Entry> reports) {
    /** The relay's batch door. */
    public static final String PATH = "/api/v1/forwarded-reports";

    /** One report: {@code body} as sent; the signature fields are null for an unsigned report. */
    public record Entry(String contentType, String contentEncoding, String contentDigest, String signatureInput,
                        String signature, byte[] body) {
    }

    /** The relay's answer: one result per report, in the order sent. */
    public record Results(List<Result> results) {
    }

    /**
     * What the single-report ingress would have answered: {@code status} 202 with the report's id,
     * or a 4xx with the error contract's {@code error} and {@code detail}.
     */
    public record Result(int status, Long reportId, String clientId, Integer messages, Boolean resyncRequested,
                         String error, String detail) {
        public boolean accepted() {
            return status == 202;
        }
    }
}
