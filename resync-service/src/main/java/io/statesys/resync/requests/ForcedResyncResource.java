package io.statesys.resync.requests;

import io.smallrye.mutiny.Uni;
import io.statesys.service.admin.AdminOnly;
import io.statesys.service.resync.ForcedResyncs;
import io.statesys.service.http.ClientIdParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** An operator forces a resync of one client (docs/api.md, "Resync service"): 202 with the request. */
@Path("/api/v1/clients/{clientId}/resync")
public class ForcedResyncResource {
    private final ForcedResyncs forced;

    public ForcedResyncResource(ForcedResyncs forced) {
        this.forced = forced;
    }

    @POST
    @AdminOnly
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> force(@PathParam("clientId") ClientIdParam clientId) {
        return forced.force(clientId.uuid()).map(r -> Response.accepted(r).build());
    }
}
