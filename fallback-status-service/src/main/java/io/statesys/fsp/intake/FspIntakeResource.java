package io.statesys.fsp.intake;

import io.statesys.core.contract.ContractPaths;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.statesys.core.report.ClientId;
import io.statesys.fsp.queue.FspQueue;
import io.statesys.service.identity.IdentityGate;
import io.statesys.service.identity.SignatureHeaders;
import io.statesys.service.ingress.Ingress;
import io.statesys.service.ingress.IngressRequest;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import io.statesys.service.ingress.ReportBodyLimit;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * The fallback status point's ingress (docs/api.md, "Fallback status point"): the same report, the same validation and
 * errors as the relay; 202 once the messages are committed to the FSP's durable queue.
 */
@Path(ContractPaths.STATE_MESSAGES)
public class FspIntakeResource {
    private final FspQueue queue;
    private final Ingress ingress;
    private final MeterRegistry registry;

    public FspIntakeResource(FspQueue queue, Ingress ingress, MeterRegistry registry) {
        this.queue = queue;
        this.ingress = ingress;
        this.registry = registry;
    }

    /** {@code queued}: the messages of this report now in the queue. */
    public record Enqueued(int queued, String clientId) {
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> post(@HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
                              @HeaderParam(HttpHeaders.CONTENT_ENCODING) String contentEncoding,
                              @BeanParam SignatureHeaders signature,
                              @Context RoutingContext routing) {
        byte[] body = ReportBodyLimit.body(routing);
        IngressRequest request = new IngressRequest("fsp", contentType, contentEncoding, body, signature.fields(), null,
                IngressRequest.sourceOf(routing));
        return ingress.accept(request, IdentityGate.Door.FSP,
                (report, admission) -> {
                    // a verified report is kept whole, to be forwarded with its client's own signature
                    Uni<Integer> stored = admission.verified() ? queue.enqueueSigned(report, request) : queue.enqueue(report);
                    return stored.map(n -> {
                        registry.counter("statesys.fsp.messages.queued").increment(n);
                        return Response.accepted(new Enqueued(n, ClientId.format(report.clientId()))).build();
                    });
                },
                reason -> registry.counter("statesys.fsp.reports.rejected", "reason", reason).increment());
    }
}
