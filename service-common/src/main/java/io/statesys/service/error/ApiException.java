package io.statesys.service.error;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * An answer of the error contract: a status, a machine-readable {@code error} and a {@code detail}
 * for people, as {@link ApiError} JSON. It is a {@link WebApplicationException} so that it also
 * works where JAX-RS converts parameters (a path value that cannot be read answers 400, not 404).
 */
public class ApiException extends WebApplicationException {
    private final String error;
    private final String detail;

    public ApiException(int status, String error, String detail) {
        this(Response.status(status), error, detail);
    }

    private ApiException(Response.ResponseBuilder builder, String error, String detail) {
        super(detail, builder.type(MediaType.APPLICATION_JSON_TYPE).entity(new ApiError(error, detail)).build());
        this.error = error;
        this.detail = detail;
    }

    public static ApiException badRequest(String error, String detail) {
        return new ApiException(400, error, detail);
    }

    public static ApiException notFound(String error, String detail) {
        return new ApiException(404, error, detail);
    }

    public static ApiException unauthorized(String error, String detail) {
        return new ApiException(Response.status(401).header("WWW-Authenticate", "Bearer realm=\"statesys\""), error, detail);
    }

    public static ApiException forbidden(String error, String detail) {
        return new ApiException(403, error, detail);
    }

    /** 503 with Retry-After: the client keeps what it has and tries again. */
    public static ApiException unavailable(String error, String detail, int retryAfterSeconds) {
        return new ApiException(Response.status(503).header("Retry-After", retryAfterSeconds), error, detail);
    }

    public String error() {
        return error;
    }

    public String detail() {
        return detail;
    }

    public int status() {
        return getResponse().getStatus();
    }
}
