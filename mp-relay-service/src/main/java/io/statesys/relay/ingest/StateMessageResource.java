package io.statesys.relay.ingest;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.statesys.core.codec.ReportLimits;
import io.statesys.core.config.StatesysConfig;
import io.statesys.core.intake.ApiError;
import io.statesys.core.intake.ReportIntake;
import io.statesys.core.intake.ReportRejectedException;
import io.statesys.core.report.ClientId;
import io.statesys.core.report.Report;
import io.statesys.relay.common.DatabaseUnavailable;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;

/**
 * The management point relay's ingress (CONTRACT §2): a report is read and validated, committed to
 * the inbox, and only then answered 202.
 */
@Path("/api/v1/statemessages")
public class StateMessageResource {
    private static final Logger LOG = Logger.getLogger(StateMessageResource.class);
    /** Larger bodies are parsed off the event loop so one big report does not stall other clients. */
    private static final int PARSE_INLINE_MAX_BYTES = 256 * 1024;
    /** Marks reports the fallback status point forwards, so the inbox knows where they came from. */
    public static final String SOURCE_HEADER = "X-Statesys-Source";

    private final Inbox inbox;
    private final BadReports badReports;
    private final IngestMetrics metrics;
    private final ReportIntake intake;

    public StateMessageResource(Inbox inbox, BadReports badReports, IngestMetrics metrics, StatesysConfig config) {
        this.inbox = inbox;
        this.badReports = badReports;
        this.metrics = metrics;
        this.intake = new ReportIntake(new ReportLimits(config.limits().maxBodyBytes(), config.limits().maxMessagesPerReport()));
    }

    public record Accepted(long reportId, String clientId, int messages, boolean resyncRequested) {
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> post(@HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
                              @HeaderParam(HttpHeaders.CONTENT_ENCODING) String contentEncoding,
                              @HeaderParam(SOURCE_HEADER) String source,
                              byte[] body) {
        byte[] raw = body == null ? new byte[0] : body;
        Uni<Report> parsed = Uni.createFrom().item(() -> intake.read(contentType, contentEncoding, raw));
        if (raw.length > PARSE_INLINE_MAX_BYTES) {
            parsed = parsed.runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
        }
        String from = "fsp".equalsIgnoreCase(source) ? "fsp" : "mp";
        return parsed
                .chain(report -> store(report, from))
                .onFailure(ReportRejectedException.class)
                .recoverWithUni(e -> refuse((ReportRejectedException) e, contentType, contentEncoding, raw));
    }

    private Uni<Response> store(Report report, String source) {
        return inbox.store(report, source)
                .map(stored -> {
                    metrics.accepted(report.messages().size());
                    return Response.accepted(new Accepted(stored.reportId(), ClientId.format(report.clientId()),
                            report.messages().size(), stored.resyncRequested())).build();
                })
                .onFailure().recoverWithItem(e -> {
                    LOG.warnf("inbox write failed, answering 503: %s", e.toString());
                    metrics.rejected("database_unavailable");
                    return DatabaseUnavailable.response(e);
                });
    }

    private Uni<Response> refuse(ReportRejectedException e, String contentType, String contentEncoding, byte[] raw) {
        metrics.rejected(e.error());
        return badReports.keep("mp-relay", e.error(), e.detail(), contentType, contentEncoding, raw)
                .replaceWith(() -> Response.status(e.status()).type(MediaType.APPLICATION_JSON_TYPE)
                        .entity(new ApiError(e.error(), e.detail())).build());
    }
}
