package io.statesys.service.error;

import io.statesys.service.database.DatabaseFailure;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;

import java.util.Locale;
import java.util.UUID;

/**
 * Turns any failure into the error contract's answer. A database that is away (or overloaded) is
 * 503 + Retry-After: clients keep their report and try again. Anything else the service did not
 * foresee is a 500 whose body carries an error id, logged here with the stack trace, and never the
 * database's own text: a bug must look like a bug, not like an outage that clients retry forever.
 */
public final class ErrorAnswers {
    private static final Logger LOG = Logger.getLogger(ErrorAnswers.class);
    /** Seconds a client should wait; a database restart or failover usually takes a few seconds. */
    public static final int RETRY_AFTER_SECONDS = 5;

    private ErrorAnswers() {
    }

    public static Response of(Throwable e) {
        if (e instanceof WebApplicationException w) {
            return withBody(w);
        }
        DatabaseFailure kind = DatabaseFailure.of(e);
        if (kind.isOutage()) {
            LOG.warnf("database unavailable (%s), answering 503: %s", kind, e.toString());
            return databaseUnavailable().getResponse();
        }
        return internalError(e).getResponse();
    }

    public static ApiException databaseUnavailable() {
        return ApiException.unavailable("database_unavailable",
                "the state system database cannot take the request now; retry after " + RETRY_AFTER_SECONDS + " s",
                RETRY_AFTER_SECONDS);
    }

    /**
     * The database went away while a report was being committed: it may be stored or not. The client
     * keeps it and sends it again, as for any 503; if it was stored, the resend counts as duplicates
     * (by serial number) and is never loaded twice.
     */
    public static ApiException commitUncertain() {
        return ApiException.unavailable("commit_uncertain",
                "the database went away while the report was being committed: it may be stored; send it again after "
                        + RETRY_AFTER_SECONDS + " s (a resend is counted as duplicates, never loaded twice)", RETRY_AFTER_SECONDS);
    }

    public static ApiException internalError(Throwable e) {
        String id = UUID.randomUUID().toString();
        LOG.errorf(e, "internal error %s", id);
        return new ApiException(500, "internal_error", "the service failed unexpectedly; error id " + id + " is in its log");
    }

    /** Framework answers (unknown path, wrong method) get the same JSON shape as ours. */
    private static Response withBody(WebApplicationException w) {
        Response r = w.getResponse();
        if (r.hasEntity()) {
            return r;
        }
        Response.StatusType status = r.getStatusInfo();
        String error = status.getReasonPhrase() == null ? "error_" + status.getStatusCode()
                : status.getReasonPhrase().toLowerCase(Locale.ROOT).replace(' ', '_');
        return Response.fromResponse(r).type("application/json")
                .entity(new ApiError(error, w.getMessage() == null ? status.getReasonPhrase() : w.getMessage())).build();
    }
}
