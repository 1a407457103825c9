package io.statesys.relay.forwarded;

import io.smallrye.mutiny.Uni;
import io.statesys.core.report.ClientId;
import io.statesys.relay.ingest.InboxSignal;
import io.statesys.relay.ingest.IngestMetrics;
import io.statesys.relay.ingest.Inbox;
import io.statesys.relay.ingest.StateMessageResource.Accepted;
import io.statesys.service.error.ApiError;
import io.statesys.service.error.ApiException;
import io.statesys.service.error.ErrorAnswers;
import io.statesys.service.forwarding.ForwardedReports;
import io.statesys.service.identity.IdentityGate;
import io.statesys.service.identity.SignatureFields;
import io.statesys.service.ingress.Ingress;
import io.statesys.service.ingress.IngressRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The FSP's batch door (docs/api.md, "Relay"): many forwarded reports in one call, so that a
 * backlog drains at the FSP's throttle rate rather than at one HTTP exchange and one commit per
 * report. Only the FSP may call it (the internal token). Each report is judged exactly as
 * {@code POST /api/v1/statemessages} would judge it — the same reading, limits, identity rules
 * (a signed report by its client's signature; an unsigned one is the FSP's, as with the token
 * there) — and everything admitted is committed in one statement. The answer is 200 with one
 * result per report when that commit happened (or nothing needed committing); 503 + Retry-After,
 * with nothing stored, when it could not.
 */
@Path(ForwardedReports.PATH)
public class ForwardedReportsResource {
    /** Most reports in one batch; the FSP sends far fewer. */
    static final int MAX_REPORTS = 1000;

    private final Inbox inbox;
    private final IngestMetrics metrics;
    private final Ingress ingress;
    private final InboxSignal signal;
    private final IdentityGate identity;

    public ForwardedReportsResource(Inbox inbox, IngestMetrics metrics, Ingress ingress, InboxSignal signal, IdentityGate identity) {
        this.inbox = inbox;
        this.metrics = metrics;
        this.ingress = ingress;
        this.signal = signal;
        this.identity = identity;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> post(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, ForwardedReports batch) {
        if (!identity.isInternal(authorization)) {
            throw ApiException.unauthorized("internal_token_required", "only the fallback status point forwards batches (Authorization: Bearer <statesys.internal.token>)");
        }
        if (batch == null || batch.reports() == null) {
            throw ApiException.badRequest("invalid_batch", "the body must be {\"reports\":[…]}");
        }
        if (batch.reports().size() > MAX_REPORTS) {
            throw ApiException.badRequest("invalid_batch", "at most " + MAX_REPORTS + " reports per batch, got " + batch.reports().size());
        }
        List<ForwardedReports.Entry> entries = batch.reports();
        if (entries.isEmpty()) {
            return Uni.createFrom().item(Response.ok(new ForwardedReports.Results(List.of())).build());
        }
        BatchCommit commit = new BatchCommit(inbox, entries.size());
        List<Uni<Response>> answers = new ArrayList<>(entries.size());
        for (int i = 0; i < entries.size(); i++) {
            ForwardedReports.Entry e = entries.get(i);
            if (e == null || e.body() == null) {
                commit.skip();
                answers.add(Uni.createFrom().item(ApiException.badRequest("invalid_batch", "report " + i + " has no body").getResponse()));
                continue;
            }
            AtomicBoolean added = new AtomicBoolean();
            int position = i;
            IngressRequest request = new IngressRequest("mp-relay", e.contentType(), e.contentEncoding(), e.body(),
                    new SignatureFields(e.contentDigest(), e.signatureInput(), e.signature()), authorization, "fsp (forwarded)");
            answers.add(ingress.accept(request, IdentityGate.Door.RELAY, (report, admission) -> {
                        added.set(true);
                        return commit.add(position, report, new Inbox.Origin("fsp", admission.unsigned())).map(stored -> {
                            metrics.accepted(report.messages().size());
                            return Response.accepted(new Accepted(stored.reportId(), ClientId.format(report.clientId()),
                                    report.messages().size(), stored.resyncRequested())).build();
                        });
                    }, metrics::rejected)
                    .onItemOrFailure().invoke((r, failure) -> {
                        if (!added.get()) {
                            commit.skip();
                        }
                    })
                    .onFailure().recoverWithItem(ErrorAnswers::of));
        }
        return Uni.join().all(answers).andFailFast().map(this::answer);
    }

    /** 200 with the results; 503 for the whole batch if its commit failed (then nothing was stored). */
    private Response answer(List<Response> responses) {
        List<ForwardedReports.Result> results = new ArrayList<>(responses.size());
        boolean stored = false;
        for (Response r : responses) {
            if (r.getStatus() >= 500) {
                return r;
            }
            Object entity = r.getEntity();
            if (entity instanceof Accepted a) {
                stored = true;
                results.add(new ForwardedReports.Result(r.getStatus(), a.reportId(), a.clientId(), a.messages(), a.resyncRequested(), null, null));
            } else if (entity instanceof ApiError err) {
                results.add(new ForwardedReports.Result(r.getStatus(), null, null, null, null, err.error(), err.detail()));
            } else {
                results.add(new ForwardedReports.Result(r.getStatus(), null, null, null, null, "refused", String.valueOf(entity)));
            }
        }
        if (stored) {
            signal.committed();
        }
        return Response.ok(new ForwardedReports.Results(results)).build();
    }
}
