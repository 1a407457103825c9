package io.statesys.processor.common;

import io.statesys.core.intake.ApiError;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** A report query the database could not answer is a 503 with Retry-After, never a bare 500. */
public class DatabaseErrors {
    @ServerExceptionMapper
    public Response unavailable(io.vertx.pgclient.PgException e) {
        return response(e);
    }

    @ServerExceptionMapper
    public Response unreachable(io.vertx.core.VertxException e) {
        return response(e);
    }

    @ServerExceptionMapper
    public Response refused(java.net.ConnectException e) {
        return response(e);
    }

    private static Response response(Throwable e) {
        return Response.status(503).header("Retry-After", 5).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new ApiError("database_unavailable", e.toString())).build();
    }
}
