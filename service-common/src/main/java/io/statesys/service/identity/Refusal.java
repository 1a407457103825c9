package io.statesys.service.identity;

/** Why a report is not taken as coming from the client it names, and the answer it gets in enforce mode. */
public enum Refusal {
    SIGNATURE_REQUIRED(401, "signature_required"),
    INVALID_SIGNATURE(401, "invalid_signature"),
    UNKNOWN_CLIENT(401, "unknown_client"),
    CLIENT_PENDING(403, "client_pending"),
    CLIENT_BLOCKED(403, "client_blocked");

    private final int status;
    private final String error;

    Refusal(int status, String error) {
        this.status = status;
        this.error = error;
    }

    public int status() {
        return status;
    }

    public String error() {
        return error;
    }
}
