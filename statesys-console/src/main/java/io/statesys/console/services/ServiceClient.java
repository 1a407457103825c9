package io.statesys.console.services;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * What the console asks of the other services (one client per service, built with its base URL
 * from {@code statesys.console.*-url}). Answers come back as {@link Response}: a 503 readiness is
 * an answer too.
 */
@Produces(MediaType.APPLICATION_JSON)
public interface ServiceClient {
    @GET
    @Path("/q/health/ready")
    Uni<Response> ready();

    @GET
    @Path("/api/v1/fsp/status")
    Uni<Response> fspStatus();

    @GET
    @Path("/api/v1/sites")
    Uni<Response> sites();

    @POST
    @Path("/api/v1/fsp/dead-letters/{id}/requeue")
    Uni<Response> requeueDeadLetter(@HeaderParam("Authorization") String authorization, @PathParam("id") long id);

    @POST
    @Path("/api/v1/invalid-records/{id}/requeue")
    Uni<Response> requeueInvalidRecord(@HeaderParam("Authorization") String authorization, @PathParam("id") long id);

    @DELETE
    @Path("/api/v1/fsp/dead-letters/{id}")
    Uni<Response> discardDeadLetter(@HeaderParam("Authorization") String authorization, @PathParam("id") long id);
}
