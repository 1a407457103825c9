package io.statesys.relay.ingest;

import io.statesys.core.contract.ContractPaths;
import io.smallrye.mutiny.Uni;
import io.statesys.core.report.ClientId;
import io.statesys.core.report.Report;
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
 * The management point relay's ingress (docs/api.md, "Relay"): a report is read and validated, its
 * sender's identity checked, committed to the inbox, and only then answered 202.
 */
@Path(StateMessageResource.PATH)
public class StateMessageResource {
    /** Where clients post reports (also the route the latency histogram is kept for). */
    public static final String PATH = ContractPaths.STATE_MESSAGES;

    private final GroupCommit inbox;
    private final IngestMetrics metrics;
    private final Ingress ingress;
    private final InboxSignal signal;

    public StateMessageResource(GroupCommit inbox, IngestMetrics metrics, Ingress ingress, InboxSignal signal) {
        this.inbox = inbox;
        this.metrics = metrics;
        this.ingress = ingress;
        this.signal = signal;
    }

    public record Accepted(long reportId, String clientId, int messages, boolean resyncRequested) {
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> post(@HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
                              @HeaderParam(HttpHeaders.CONTENT_ENCODING) String contentEncoding,
                              @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                              @BeanParam SignatureHeaders signature,
                              @Context RoutingContext routing) {
        byte[] body = ReportBodyLimit.body(routing);
        IngressRequest request = new IngressRequest("mp-relay", contentType, contentEncoding, body, signature.fields(), authorization,
                IngressRequest.sourceOf(routing));
        // "fsp" only when the FSP proved it with the internal token: a source header alone proves nothing
        return ingress.accept(request, IdentityGate.Door.RELAY,
                (report, admission) -> store(report, admission.internal() ? new Inbox.Origin("fsp", admission.unsigned()) : Inbox.Origin.CLIENT),
                metrics::rejected);
    }

    private Uni<Response> store(Report report, Inbox.Origin origin) {
        return inbox.store(report, origin).map(stored -> {
            signal.committed();
            metrics.accepted(report.messages().size());
            return Response.accepted(new Accepted(stored.reportId(), ClientId.format(report.clientId()),
                    report.messages().size(), stored.resyncRequested())).build();
        });
    }
}
