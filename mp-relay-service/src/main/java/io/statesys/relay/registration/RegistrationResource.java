package io.statesys.relay.registration;

import io.smallrye.mutiny.Uni;
import io.statesys.core.report.ClientId;
import io.statesys.service.identity.SignatureHeaders;
import io.statesys.service.ingress.ReportBodyLimit;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** Client registration (docs/api.md, "Client identity"): 201 new, 200 same key or rotation, 409 another key. */
@Path(RegistrationResource.PATH)
public class RegistrationResource {
    static final String PATH = "/api/v1/clients/registrations";
    private final Registrations registrations;

    public RegistrationResource(Registrations registrations) {
        this.registrations = registrations;
    }

    public record Registered(String clientId, String status, String keyFingerprint) {
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> register(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                                  @BeanParam SignatureHeaders signature,
                                  @Context RoutingContext routing) {
        return registrations.register(ReportBodyLimit.body(routing), signature.fields(), authorization)
                .map(o -> Response.status(o.created() ? 201 : 200).entity(new Registered(ClientId.format(o.identity().clientId()),
                        o.identity().status().wire(), o.identity().key().fingerprint())).build());
    }
}
