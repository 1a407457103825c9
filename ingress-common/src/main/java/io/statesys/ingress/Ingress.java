package io.statesys.ingress;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.statesys.core.codec.ReportLimits;
import io.statesys.core.config.StatesysConfig;
import io.statesys.core.intake.ApiError;
import io.statesys.core.intake.ReportIntake;
import io.statesys.core.intake.ReportRejectedException;
import io.statesys.core.report.Report;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;

import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The door both ingresses share (relay and fallback status point): read and validate the report,
 * hand it to the service's durable store, and answer. A refusal answers the contract's 4xx JSON
 * and keeps the body for diagnosis; a store that cannot commit answers 503 with Retry-After.
 * The 2xx comes only from the store, after its commit.
 */
@ApplicationScoped
public class Ingress {
    private static final Logger LOG = Logger.getLogger(Ingress.class);
    /** Larger bodies are parsed off the event loop so one big report does not stall other clients. */
    private static final int PARSE_INLINE_MAX_BYTES = 256 * 1024;

    private final BadReports badReports;
    private final ReportIntake intake;

    public Ingress(BadReports badReports, StatesysConfig config) {
        this.badReports = badReports;
        this.intake = new ReportIntake(new ReportLimits(config.limits().maxBodyBytes(), config.limits().maxMessagesPerReport()));
    }

    public Uni<Response> accept(String service, String contentType, String contentEncoding, byte[] body,
                                Function<Report, Uni<Response>> store, Consumer<String> refused) {
        byte[] raw = body == null ? new byte[0] : body;
        Uni<Report> parsed = Uni.createFrom().item(() -> intake.read(contentType, contentEncoding, raw));
        if (raw.length > PARSE_INLINE_MAX_BYTES) {
            parsed = parsed.runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
        }
        return parsed
                .chain(report -> store.apply(report).onFailure().recoverWithItem(e -> {
                    LOG.warnf("%s could not commit a report, answering 503: %s", service, e.toString());
                    refused.accept("database_unavailable");
                    return DatabaseUnavailable.response(e);
                }))
                .onFailure(ReportRejectedException.class).recoverWithUni(e -> {
                    ReportRejectedException r = (ReportRejectedException) e;
                    refused.accept(r.error());
                    return badReports.keep(service, r.error(), r.detail(), contentType, contentEncoding, raw)
                            .replaceWith(() -> Response.status(r.status()).type(MediaType.APPLICATION_JSON_TYPE)
                                    .entity(new ApiError(r.error(), r.detail())).build());
                });
    }
}
