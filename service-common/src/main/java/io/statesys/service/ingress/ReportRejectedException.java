package io.statesys.service.ingress;

import io.statesys.service.error.ApiException;

/** A report refused at the door (400, 413, 415), with the contract's error JSON; its body is kept for diagnosis. */
public class ReportRejectedException extends ApiException {
    public static final String INVALID_REPORT = "invalid_report";
    public static final String TOO_LARGE = "report_too_large";
    public static final String UNSUPPORTED_MEDIA_TYPE = "unsupported_media_type";

    public ReportRejectedException(int status, String error, String detail) {
        super(status, error, detail);
    }

    /** The client whose signature verified before the refusal; null when none did (the body proves nothing). */
    public java.util.UUID verifiedClient() {
        return null;
    }
}
