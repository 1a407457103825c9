package io.statesys.relay.policy;

import io.smallrye.mutiny.Uni;
import io.statesys.service.http.ClientIdParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.time.Instant;

/** A client's policy as the relay serves it: whether it must resend its state (docs/api.md, "Relay"). */
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
    public Uni<Policy> policy(@PathParam("clientId") ClientIdParam clientId) {
        return policies.outstanding(clientId.uuid())
                .map(o -> new Policy(clientId.toString(),
                        o.map(r -> new Resync(r.requestId(), r.issuedAt().toInstant())).orElse(null)));
    }
}
