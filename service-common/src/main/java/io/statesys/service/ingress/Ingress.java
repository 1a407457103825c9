package io.statesys.service.ingress;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.statesys.core.codec.ReportLimits;
import io.statesys.core.config.StatesysConfig;
import io.statesys.core.report.Report;
import io.statesys.service.database.DatabaseFailure;
import io.statesys.service.error.ErrorAnswers;
import io.statesys.service.identity.IdentityGate;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.BiFunction;

/**
 * The door both ingresses share (relay and fallback status point): read and validate the report,
 * hand it to the service's durable store, and answer. A refusal answers the contract's 4xx JSON
 * and keeps the body for diagnosis; a store that cannot commit answers 503 with Retry-After (or
 * 500 with an error id when the database refused the statement itself: a bug, not an outage).
 * The 2xx comes only from the store, after its commit.
 */
@ApplicationScoped
public class Ingress {
    private static final Logger LOG = Logger.getLogger(Ingress.class);
    /** Larger bodies are parsed off the event loop so one big report does not stall other clients. */
    private static final int PARSE_INLINE_MAX_BYTES = 256 * 1024;

    private final BadReports badReports;
    private final IdentityGate identity;
    private final ReportIntake intake;
    private final FutureMessageTimes futureTimes;

    public Ingress(BadReports badReports, IdentityGate identity, StatesysConfig config) {
        this.badReports = badReports;
        this.identity = identity;
        this.intake = new ReportIntake(new ReportLimits(config.limits().maxBodyBytes(), config.limits().maxMessagesPerReport(),
                config.limits().maxFieldChars(), config.limits().maxParamChars()));
        this.futureTimes = new FutureMessageTimes(config.limits().maxFutureSkew());
    }

    /**
     * Reads the report, lets the identity gate decide who sent it, and hands what is admitted to
     * the store. Nothing of a refused report reaches the store; its body is kept in bad_report.
     */
    public Uni<Response> accept(IngressRequest request, IdentityGate.Door door,
                                BiFunction<Report, IdentityGate.Admission, Uni<Response>> store, Consumer<String> refused) {
        String service = request.service();
        byte[] raw = request.body();
        java.time.Instant receivedAt = java.time.Instant.now();
        Supplier<Report> read = () -> {
            Report report = intake.read(request.contentType(), request.contentEncoding(), raw);
            futureTimes.check(report, receivedAt);
            return report;
        };
        // A large body is parsed off the event loop, by a CompletableFuture's task: it forgets its
        // function once run. A runSubscriptionOn task stays in the idle worker thread's frame and
        // with it the whole request — body, parsed report and the chain after it — until that
        // thread runs something else (a heap dump showed one 10,000-message report per worker).
        Uni<Report> parsed = raw.length > PARSE_INLINE_MAX_BYTES
                ? Uni.createFrom().completionStage(() -> CompletableFuture.supplyAsync(read, Infrastructure.getDefaultWorkerPool()))
                : Uni.createFrom().item(read);
        return parsed
                .chain(report -> identity.admit(door, report, raw, request.signature(), request.authorization())
                        .chain(admission -> store.apply(report, admission).onFailure().recoverWithItem(e -> {
                    boolean outage = DatabaseFailure.of(e).isOutage();
                    if (outage && DatabaseFailure.outcomeUnknown(e)) {
                        refused.accept("commit_uncertain");
                        LOG.warnf("%s lost the database while committing a report, answering 503 commit_uncertain: %s", service, e.toString());
                        return ErrorAnswers.commitUncertain().getResponse();
                    }
                    refused.accept(outage ? "database_unavailable" : "internal_error");
                    if (outage) {
                        LOG.warnf("%s could not commit a report, answering 503: %s", service, e.toString());
                    }
                    return ErrorAnswers.of(e);
                })))
                .onFailure(ReportRejectedException.class).recoverWithUni(e -> {
                    ReportRejectedException r = (ReportRejectedException) e;
                    refused.accept(r.error());
                    return badReports.keep(request, r.error(), r.detail(), r.verifiedClient()).replaceWith(r::getResponse);
                });
    }
}
