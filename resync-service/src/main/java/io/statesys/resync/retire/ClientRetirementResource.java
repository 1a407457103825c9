package io.statesys.resync.retire;

import io.smallrye.mutiny.Uni;
import io.statesys.service.admin.AdminOnly;
import io.statesys.service.error.ApiException;
import io.statesys.service.http.ClientIdParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** An operator retires a client of this site at once (docs/api.md, "Site hierarchy"): 200, or 404 if it has none here. */
@Path("/api/v1/clients/{clientId}/retire")
public class ClientRetirementResource {
    private final ClientRetirement retirement;

    public ClientRetirementResource(ClientRetirement retirement) {
        this.retirement = retirement;
    }

    @POST
    @AdminOnly
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<ClientRetirement.Retired> retire(@PathParam("clientId") ClientIdParam clientId) {
        return retirement.retire(clientId.uuid()).map(found -> found.orElseThrow(
                () -> ApiException.notFound("unknown_client", "no statistics of " + clientId + " at this site")));
    }
}
