package io.statesys.relay.ingest;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.statesys.core.report.Report;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Group commit for the relay's hot path: reports that arrive while the inbox is busy committing
 * others wait and go together in the next statement (one transaction, one WAL flush), and each
 * is answered only after that commit. Nothing waits for a timer: with the inbox idle a report is
 * stored at once, alone; under load the batches grow by themselves to what arrived during one commit.
 * At most {@value #IN_FLIGHT} statements run at a time (the pool keeps the rest for other work) and a
 * statement carries at most {@value #MAX_BATCH} reports. A failed statement fails every report in it
 * (each client gets the error a lone insert would have given, and nothing of the batch was stored).
 */
@ApplicationScoped
public class GroupCommit {
    static final int IN_FLIGHT = 4;
    static final int MAX_BATCH = 200;

    private final Inbox inbox;
    private final ConcurrentLinkedQueue<Pending> waiting = new ConcurrentLinkedQueue<>();
    private final AtomicInteger inFlight = new AtomicInteger();

    private final DistributionSummary perCommit;
    private final Timer commitTime;

    public GroupCommit(Inbox inbox, MeterRegistry registry) {
        this.inbox = inbox;
        this.perCommit = DistributionSummary.builder("statesys.relay.commit.reports")
                .description("Reports committed together by one inbox statement (group commit)").register(registry);
        // the part of a report's answer time that is the database's: with the answer's histogram it
        // tells a slow database from a relay short of CPU (buckets: ReportLatencyHistogram)
        this.commitTime = Timer.builder(COMMIT_TIME)
                .description("From a report joining the group commit to its commit: waiting for a statement, the statement, the WAL flush")
                .register(registry);
    }

    static final String COMMIT_TIME = "statesys.relay.inbox.commit";

    /**
     * {@code context}: the request's own Vert.x context, where its answer resumes (another request's
     * statement completes it). {@code queuedAt}: when it joined, in {@link System#nanoTime()}.
     */
    private record Pending(Report report, Inbox.Origin origin, UniEmitter<? super Inbox.Stored> answer, Context context, long queuedAt) {
        void complete(Inbox.Stored stored) {
            if (context == null) {
                answer.complete(stored);
            } else {
                context.runOnContext(v -> answer.complete(stored));
            }
        }

        void fail(Throwable failure) {
            if (context == null) {
                answer.fail(failure);
            } else {
                context.runOnContext(v -> answer.fail(failure));
            }
        }
    }

    public Uni<Inbox.Stored> store(Report report, Inbox.Origin origin) {
        return Uni.createFrom().emitter(answer -> {
            waiting.add(new Pending(report, origin, answer, Vertx.currentContext(), System.nanoTime()));
            drain();
        });
    }

    private void drain() {
        while (!waiting.isEmpty()) {
            int n = inFlight.get();
            if (n >= IN_FLIGHT) {
                return; // a running statement's completion drains again
            }
            if (!inFlight.compareAndSet(n, n + 1)) {
                continue;
            }
            List<Pending> batch = new ArrayList<>();
            Pending p;
            while (batch.size() < MAX_BATCH && (p = waiting.poll()) != null) {
                batch.add(p);
            }
            if (batch.isEmpty()) {
                inFlight.decrementAndGet();
                continue;
            }
            commit(batch);
        }
    }

    private void commit(List<Pending> batch) {
        perCommit.record(batch.size());
        Uni<List<Inbox.Stored>> stored;
        if (batch.size() == 1) {
            Pending only = batch.get(0);
            stored = inbox.store(only.report(), only.origin()).map(List::of);
        } else {
            List<Report> reports = new ArrayList<>(batch.size());
            List<Inbox.Origin> origins = new ArrayList<>(batch.size());
            for (Pending p : batch) {
                reports.add(p.report());
                origins.add(p.origin());
            }
            stored = inbox.storeAll(reports, origins);
        }
        stored.subscribe().with(all -> {
            finished();
            long now = System.nanoTime();
            for (int i = 0; i < batch.size(); i++) {
                commitTime.record(now - batch.get(i).queuedAt(), TimeUnit.NANOSECONDS);
                batch.get(i).complete(all.get(i));
            }
        }, failure -> {
            finished();
            for (Pending p : batch) {
                p.fail(failure);
            }
        });
    }

    private void finished() {
        inFlight.decrementAndGet();
        drain();
    }
}
