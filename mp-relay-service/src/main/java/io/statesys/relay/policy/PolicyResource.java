package io.statesys.relay.policy;

import io.smallrye.mutiny.Uni;
import io.statesys.core.intake.ApiError;
import io.statesys.core.report.ClientId;
import io.statesys.ingress.DatabaseUnavailable;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.time.Instant;
import java.util.UUID;

/** A client's policy as the relay serves it: whether it must resend its state (CONTRACT §2). */
@Path("/api/v1/clients/{clientId}/policy")
public class PolicyResource {
    private final ResyncPolicies policies;

    public PolicyResource(ResyncPolicies policies) {
        this.policies = policies;
    }

    public record Resync(long requestId, Instant issuedAt) {
    }

    public record Policy(String clientId, Resync resync) {
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> policy(@PathParam("clientId") String clientId) {
        UUID client;
        try {
            client = ClientId.parse(clientId);
        } catch (IllegalArgumentException e) {
            return Uni.createFrom().item(Response.status(400).type(MediaType.APPLICATION_JSON_TYPE)
                    .entity(new ApiError("invalid_client_id", "clientId: " + e.getMessage())).build());
        }
        return policies.outstanding(client)
                .map(o -> Response.ok(new Policy(ClientId.format(client),
                        o.map(r -> new Resync(r.requestId(), r.issuedAt().toInstant())).orElse(null))).build())
                .onFailure().recoverWithItem(DatabaseUnavailable::response);
    }
}
