package io.statesys.core.intake;

/** A report refused at the door, with the HTTP status and the contract's error JSON fields. */
public class ReportRejectedException extends RuntimeException {
    public static final String INVALID_REPORT = "invalid_report";
    public static final String TOO_LARGE = "report_too_large";
    public static final String UNSUPPORTED_MEDIA_TYPE = "unsupported_media_type";

    private final int status;
    private final String error;

    public ReportRejectedException(int status, String error, String detail) {
        super(detail);
        this.status = status;
        this.error = error;
    }

    public int status() {
        return status;
    }

    public String error() {
        return error;
    }

    public String detail() {
        return getMessage();
    }
}
