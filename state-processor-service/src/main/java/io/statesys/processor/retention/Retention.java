package io.statesys.processor.retention;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.statesys.core.config.StatesysConfig;
import io.statesys.processor.ProcessorConfig;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Nothing the state system keeps grows forever (the original's maintenance tasks): every
 * {@code statesys.retention.interval} one processor replica (a session advisory lock) retires clients not heard from for
 * {@code statesys.retention.inactive-client-days} (their latest states, statistics, missing ranges
 * and outstanding resync request) and removes invalid records, dead letters, resync history and
 * refused bodies past their age. Batches of {@code statesys.retention.batch-size} rows, each one
 * statement; every run that removed anything is recorded, by count, in {@code retention_run}.
 * The inbox is not here: the loader deletes what it loads.
 */
@ApplicationScoped
public class Retention {
    private static final Logger LOG = Logger.getLogger(Retention.class);

    /** What one run removed. */
    public record Run(long clientsRetired, long statesRemoved, long rangesRemoved, long resyncsRemoved, long invalidRemoved,
                      long deadLettersRemoved, long resyncHistoryRemoved, long badReportsRemoved, boolean skipped) {
        long total() {
            return clientsRetired + statesRemoved + rangesRemoved + resyncsRemoved + invalidRemoved + deadLettersRemoved
                    + resyncHistoryRemoved + badReportsRemoved;
        }
    }

    private static final Duration WAIT = Duration.ofMinutes(5);

    private final Pool pool;
    private final ProcessorConfig.Retention settings;
    private final Duration badReportAge;
    private final Duration pendingExpiry;
    private final Duration retiredSerialsKept;
    private final Clock clock;
    private final Counter retired;

    public Retention(Pool pool, StatesysConfig config, ProcessorConfig own, MeterRegistry registry) {
        this.pool = pool;
        this.settings = own.retention();
        this.badReportAge = config.badReports().maxAge();
        this.pendingExpiry = config.identity().pendingExpiry();
        this.retiredSerialsKept = io.statesys.schema.RetiredSerials.keptFor(config.identity().signatureWindow());
        this.clock = Clock.systemUTC();
        this.retired = Counter.builder("statesys.retention.clients.retired")
                .description("Clients retired for inactivity").register(registry);
    }

    @Scheduled(every = "${statesys.retention.interval}", delayed = "5m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        try {
            Run r = runNow();
            if (r.total() > 0) {
                LOG.infof("retention: %s", r);
            }
        } catch (RuntimeException e) {
            LOG.warnf("retention did not run: %s", e.toString());
        }
    }

    /**
     * One run now, on the calling thread, on one connection that holds a session advisory lock for
     * the whole run (skipped, nothing removed, while another replica holds it). Each statement is
     * its own transaction: a client is retired whole or not at all, and a run that stops half way
     * leaves nothing half done.
     */
    public Run runNow() {
        Instant now = clock.instant();
        SqlConnection conn = pool.getConnection().await().atMost(WAIT);
        try {
            if (!conn.query(RetentionStore.TRY_LOCK).execute().await().atMost(WAIT).iterator().next().getBoolean("locked")) {
                return new Run(0, 0, 0, 0, 0, 0, 0, 0, true);
            }
            try {
                return run(conn, now);
            } finally {
                conn.query(RetentionStore.UNLOCK).execute().await().atMost(WAIT);
            }
        } finally {
            conn.close().await().atMost(WAIT);
        }
    }

    private Run run(SqlConnection conn, Instant now) {
        int batch = settings.batchSize();
        long clients = 0;
        long states = 0;
        long ranges = 0;
        long resyncs = 0;
        Instant inactiveBefore = now.minus(Duration.ofDays(settings.inactiveClientDays()));
        RetentionStore.Retired r;
        do {
            r = RetentionStore.retireClients(conn, inactiveBefore, batch);
            clients += r.clients();
            states += r.states();
            ranges += r.ranges();
            resyncs += r.resyncs();
        } while (r.clients() >= batch);
        retired.increment(clients);
        long invalid = pruneAll(conn, RetentionStore.PRUNE_INVALID, now.minus(settings.invalidRecordAge()), batch);
        long dead = pruneAll(conn, RetentionStore.PRUNE_DEAD_LETTERS, now.minus(settings.deadLetterAge()), batch);
        long history = pruneAll(conn, RetentionStore.PRUNE_RESYNC_HISTORY, now.minus(settings.resyncHistoryAge()), batch)
                + pruneAll(conn, RetentionStore.PRUNE_RESYNC_ORDERS, now.minus(settings.resyncHistoryAge()), batch);
        long bad = pruneAll(conn, RetentionStore.PRUNE_BAD_REPORTS, now.minus(badReportAge), batch);
        long pending = pruneAll(conn, RetentionStore.EXPIRE_PENDING, now.minus(pendingExpiry), batch);
        pruneAll(conn, RetentionStore.PRUNE_RETIRED_SERIALS, now.minus(retiredSerialsKept), batch);
        if (pending > 0) {
            LOG.infof("forgot %d registration(s) left pending longer than %s (statesys.identity.pending-expiry)", pending, pendingExpiry);
        }
        Run run = new Run(clients, states, ranges, resyncs, invalid, dead, history, bad, false);
        if (run.total() > 0) {
            conn.preparedQuery(RetentionStore.RECORD_RUN)
                    .execute(Tuple.from(new Object[] {clients, states, ranges, resyncs, invalid, dead, history, bad}))
                    .await().atMost(WAIT);
        }
        return run;
    }

    private static long pruneAll(SqlConnection conn, String statement, Instant before, int batch) {
        long total = 0;
        long n;
        do {
            n = RetentionStore.prune(conn, statement, before, batch);
            total += n;
        } while (n >= batch);
        return total;
    }
}
