package io.statesys.resync.policy;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.statesys.resync.ResyncConfig;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * The resync check (Resync Check Interval, 15 min): re-issues requests whose completion has not
 * been processed within {@code reissue-after} — even when the completion sits unprocessed in a
 * backlog, exactly as the original — then issues requests for clients whose oldest missing range is
 * older than {@code min-missing-message-age} and who have none outstanding, oldest gaps first —
 * and, within {@code restore-window} after a restore of the site's database, clients first heard
 * from after it whose serials do not start at 1 (once each: what they sent before their first
 * message the restored site kept left no gap it could see).
 * At most {@code max-per-check} requests per check (re-issues first), so that a restored backup
 * does not tell every client to resend at once. One instance at a time: a transaction-scoped
 * advisory lock makes the check single-flight across replicas. Only this site's clients: a
 * descendant's gaps are its own site's to act on (their requests replicate up).
 */
@ApplicationScoped
public class ResyncCheck {
    private static final Logger LOG = Logger.getLogger(ResyncCheck.class);

    /** Advisory lock key of the check ("SRSY"). */
    static final long CHECK_LOCK = 0x53525359L;

    static final String TRY_LOCK = "SELECT pg_try_advisory_xact_lock($1) AS got";

    static final String REISSUE = """
            WITH due AS (
                SELECT id FROM resync_request
                WHERE completed_at IS NULL AND site_code = own_site() AND issued_at <= now() - make_interval(secs => $1)
                ORDER BY issued_at
                LIMIT $2),
            reissued AS (
                UPDATE resync_request r SET issued_at = now(), reissue_count = r.reissue_count + 1
                FROM due WHERE r.site_code = own_site() AND r.id = due.id
                RETURNING r.client_id),
            stamped AS (
                UPDATE client_message_stats s SET last_resync_issued_time = now()
                FROM reissued WHERE s.client_id = reissued.client_id AND s.site_code = own_site()
                RETURNING 1)
            SELECT count(*) AS n FROM reissued""";

    static final String ISSUE = """
            WITH gapped AS (
                SELECT client_id, min(detected_at) AS oldest, 'missing-messages' AS reason
                FROM missing_range
                WHERE detected_at <= now() - make_interval(secs => $1) AND site_code = own_site()
                GROUP BY client_id),
            restored AS (
                SELECT max(restored_at) AS at FROM site_restore WHERE restored_at > now() - make_interval(secs => $3)),
            first_seen_after_restore AS (
                SELECT s.client_id, s.first_seen AS oldest, 'site-restored' AS reason
                FROM client_message_stats s, restored
                WHERE restored.at IS NOT NULL AND s.site_code = own_site() AND s.first_seen >= restored.at
                  AND s.first_seen <= now() - make_interval(secs => $1)
                  AND s.lowest_serial > 1 AND s.last_resync_issued_time IS NULL
                  AND NOT EXISTS (SELECT 1 FROM missing_range m WHERE m.client_id = s.client_id AND m.site_code = own_site())),
            candidates AS (
                SELECT g.client_id, g.reason FROM (SELECT * FROM gapped UNION ALL SELECT * FROM first_seen_after_restore) g
                WHERE NOT EXISTS (SELECT 1 FROM resync_request r
                                  WHERE r.client_id = g.client_id AND r.site_code = own_site() AND r.completed_at IS NULL)
                ORDER BY g.oldest, g.client_id
                LIMIT $2),
            issued AS (
                INSERT INTO resync_request (client_id, reason)
                SELECT client_id, reason FROM candidates
                ON CONFLICT (client_id, site_code) WHERE completed_at IS NULL DO NOTHING
                RETURNING client_id),
            stamped AS (
                UPDATE client_message_stats s SET last_resync_issued_time = now()
                FROM issued WHERE s.client_id = issued.client_id AND s.site_code = own_site()
                RETURNING 1)
            SELECT count(*) AS n FROM issued""";

    /** A check that issued something is kept for the console (storm-cap hits); pruned with its history. */
    static final String RECORD_RUN = "INSERT INTO resync_check_run (issued, reissued, capped) VALUES ($1, $2, $3)";

    private final Pool pool;
    private final ResyncConfig config;
    private final Counter issuedCounter;
    private final Counter reissuedCounter;
    private final Timer duration;

    public ResyncCheck(Pool pool, ResyncConfig config, MeterRegistry registry) {
        this.pool = pool;
        this.config = config;
        this.issuedCounter = Counter.builder("statesys.resync.issued").description("Resync requests issued").register(registry);
        this.reissuedCounter = Counter.builder("statesys.resync.reissued")
                .description("Resync requests re-issued because their completion was not processed in time (backlog-driven resync storms show here)")
                .register(registry);
        this.duration = Timer.builder("statesys.resync.check.duration").description("Time of one resync check").register(registry);
    }

    public record Outcome(long issued, long reissued, boolean ran) {
    }

    @Scheduled(every = "${statesys.resync.check-interval}", delayed = "10s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return run().invoke(o -> {
            if (o.issued() + o.reissued() > 0) {
                LOG.infof("resync check: issued %d, re-issued %d", o.issued(), o.reissued());
            }
        }).replaceWithVoid().onFailure().recoverWithItem(e -> {
            LOG.warnf("resync check failed: %s", e.toString());
            return null;
        });
    }

    /** One check now; {@code ran=false} when another instance holds the check. */
    public Uni<Outcome> run() {
        long start = System.nanoTime();
        int cap = config.maxPerCheck();
        return pool.withTransaction(conn -> conn.preparedQuery(TRY_LOCK).execute(Tuple.of(CHECK_LOCK)).chain(rows -> {
            if (!rows.iterator().next().getBoolean("got")) {
                return Uni.createFrom().item(new Outcome(0, 0, false));
            }
            return count(conn, REISSUE, config.reissueAfter().toSeconds(), cap)
                    .chain(reissued -> issue(conn, (int) (cap - reissued))
                            .map(issued -> new Outcome(issued, reissued, true)))
                    .call(o -> o.issued() + o.reissued() == 0 ? Uni.createFrom().voidItem()
                            : conn.preparedQuery(RECORD_RUN).execute(Tuple.of((int) o.issued(), (int) o.reissued(), o.issued() + o.reissued() >= cap)));
        })).invoke(o -> {
            issuedCounter.increment(o.issued());
            reissuedCounter.increment(o.reissued());
            duration.record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
        });
    }

    private Uni<Long> issue(SqlConnection conn, int limit) {
        if (limit <= 0) {
            return Uni.createFrom().item(0L);
        }
        return conn.preparedQuery(ISSUE).execute(Tuple.of((double) config.minMissingMessageAge().toSeconds(), limit,
                (double) config.restoreWindow().toSeconds())).map(r -> r.iterator().next().getLong("n"));
    }

    private static Uni<Long> count(SqlConnection conn, String sql, long seconds, int limit) {
        if (limit <= 0) {
            return Uni.createFrom().item(0L);
        }
        return conn.preparedQuery(sql).execute(Tuple.of((double) seconds, limit)).map(r -> r.iterator().next().getLong("n"));
    }
}
