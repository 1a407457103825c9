package io.statesys.service.identity;

import io.statesys.service.ingress.ReportRejectedException;

/**
 * A report refused for who sent it (401/403), with the refusal's reason as its error code;
 * {@code verifiedClient} is the client whose signature did verify (one pending or blocked), null
 * when nobody's did: only then is the refused body attributed to a client.
 */
public class IdentityRefusedException extends ReportRejectedException {
    private final java.util.UUID verifiedClient;

    public IdentityRefusedException(Refusal refusal, String detail) {
        this(refusal, detail, null);
    }

    public IdentityRefusedException(Refusal refusal, String detail, java.util.UUID verifiedClient) {
        super(refusal.status(), refusal.error(), detail);
        this.verifiedClient = verifiedClient;
    }

    @Override
    public java.util.UUID verifiedClient() {
        return verifiedClient;
    }
}
