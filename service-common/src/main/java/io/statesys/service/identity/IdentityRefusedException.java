package io.statesys.service.identity;

import io.statesys.service.ingress.ReportRejectedException;

/** A report refused for who sent it (401/403), with the refusal's reason as its error code. */
public class IdentityRefusedException extends ReportRejectedException {
    public IdentityRefusedException(Refusal refusal, String detail) {
        super(refusal.status(), refusal.error(), detail);
    }
}
