package io.statesys.ingress;

import io.statesys.core.intake.ApiError;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * The answer when Postgres cannot take the write: 503 with Retry-After, so clients keep the report
 * and send it again. Never a 500, and nothing half-written (each store is one statement).
 */
public final class DatabaseUnavailable {
    /** Seconds a client should wait; a database restart or failover usually takes a few seconds. */
    public static final int RETRY_AFTER_SECONDS = 5;

    private DatabaseUnavailable() {
    }

    public static Response response(Throwable cause) {
        return Response.status(Response.Status.SERVICE_UNAVAILABLE)
                .header("Retry-After", RETRY_AFTER_SECONDS)
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new ApiError("database_unavailable", "the state system database is not reachable: " + describe(cause)))
                .build();
    }

    private static String describe(Throwable t) {
        String m = t.getMessage();
        return t.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }
}
