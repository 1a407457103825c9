package io.statesys.processor.loader;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.statesys.core.config.StatesysConfig;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The state system loader: {@code statesys.loader.threads} threads, each claiming chunks of
 * {@code statesys.loader.chunk-size} reports, at most {@code max-chunks-fetched} per pass, then
 * sleeping until a NOTIFY from the relay or the inbox polling interval. Each chunk is one
 * transaction; several processor replicas share one inbox through SKIP LOCKED claims.
 */
@ApplicationScoped
public class Loader {
    private static final Logger LOG = Logger.getLogger("io.statesys.processor.CMessageProcessor");
    private static final Duration WAIT = Duration.ofMinutes(2);
    private static final int IMMEDIATE_RETRIES = 5;

    static final String MOVE_TO_INVALID = """
            WITH gone AS (
                DELETE FROM inbox WHERE id = ANY($1::bigint[]) AND attempts >= $2
                RETURNING id, client_id, received_at, attempts, message_count, payload)
            INSERT INTO invalid_record (inbox_id, client_id, received_at, attempts, message_count, reason, payload)
            SELECT id, client_id, received_at, attempts, message_count, $3, payload FROM gone
            RETURNING message_count""";

    static final String MARK_FOR_RETRY = """
            UPDATE inbox
            SET attempts = attempts + 1,
                last_error = $2,
                not_before = now() + make_interval(secs => ($3::float8[])[attempts + 1])
            WHERE id = ANY($1::bigint[]) AND attempts < array_length($3::float8[], 1)""";

    private final Pool pool;
    private final StatesysConfig config;
    private final LoaderMetrics metrics;
    private final UserParamsJson json;
    private final boolean autoStart;
    private final InboxWakeup wakeup = new InboxWakeup();
    private final List<Thread> threads = new ArrayList<>();
    private final String instance = UUID.randomUUID().toString().substring(0, 8);
    private final AtomicLong processedTotal = new AtomicLong();
    private final AtomicLong invalidTotal = new AtomicLong();
    private volatile boolean running;

    private volatile Runnable beforeCommit = () -> { };

    public Loader(Pool pool, StatesysConfig config, LoaderMetrics metrics, UserParamsJson json) {
        this.pool = pool;
        this.config = config;
        this.metrics = metrics;
        this.json = json;
        this.autoStart = config.loader().autoStart();
    }

    void onStart(@Observes StartupEvent ev) {
        if (autoStart) {
            start();
        }
    }

    void onStop(@Observes ShutdownEvent ev) {
        stop();
    }

    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        for (int i = 0; i < config.loader().threads(); i++) {
            String shard = instance + "-" + i;
            Thread t = new Thread(() -> loop(new LoaderChunk(shard, json)), "State Message Processing Thread #" + i);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
        LOG.infof("started %d loader threads (chunk %d reports, %d chunks per pass, polling every %s)",
                config.loader().threads(), config.loader().chunkSize(), config.loader().maxChunksFetched(),
                config.inboxPollingInterval());
    }

    public synchronized void stop() {
        running = false;
        wakeup.signal();
        for (Thread t : threads) {
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        threads.clear();
    }

    /** Fault injection for crash tests: runs inside each chunk's transaction after its writes, before the commit. */
    void beforeCommit(Runnable hook) {
        this.beforeCommit = hook == null ? () -> { } : hook;
    }

    public InboxWakeup wakeup() {
        return wakeup;
    }

    public String instance() {
        return instance;
    }

    public long processedTotal() {
        return processedTotal.get();
    }

    public long invalidTotal() {
        return invalidTotal.get();
    }

    private void loop(LoaderChunk chunk) {
        long backoffMs = 0;
        while (running) {
            long seen = wakeup.generation();
            boolean more = true;
            long processed = 0;
            long invalid = 0;
            int reports = 0;
            try {
                for (int n = 0; running && more && n < config.loader().maxChunksFetched(); n++) {
                    ChunkResult r = loadChunk(chunk);
                    // a partial chunk means the inbox is (nearly) empty: wait for the next notification
                    more = r.claimed() >= config.loader().chunkSize();
                    processed += r.processed();
                    invalid += r.invalid();
                    reports += r.claimed();
                }
                if (reports > 0) {
                    LOG.infof("Processed %d records with %d invalid records (%d reports in this pass)", processed, invalid, reports);
                }
                backoffMs = 0;
            } catch (DatabaseAway e) {
                backoffMs = Math.min(30_000, Math.max(250, backoffMs * 2));
                LOG.warnf("database unavailable, loader backing off %d ms: %s", backoffMs, e.getCause().toString());
                sleep(backoffMs);
                continue;
            } catch (RuntimeException e) {
                LOG.error("loader pass failed", e);
                sleep(1000);
                continue;
            }
            if (!more) {
                try {
                    if (wakeup.await(seen, config.inboxPollingInterval())) {
                        sleep(config.loader().notifyBatchDelay().toMillis());
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Loads one chunk on the calling thread (tests, and tools that drain the inbox synchronously). */
    public ChunkResult loadChunkNow() {
        return loadChunk(new LoaderChunk(instance + "-direct", json));
    }

    /** Loads until the inbox has nothing ready; returns the messages processed. */
    public long drainNow() {
        LoaderChunk chunk = new LoaderChunk(instance + "-direct", json);
        long processed = 0;
        ChunkResult r;
        while ((r = loadChunk(chunk)).claimed() > 0) {
            processed += r.processed();
        }
        return processed;
    }

    /** Loads one chunk on the calling thread, with the full failure handling. */
    ChunkResult loadChunk(LoaderChunk chunk) {
        for (int attempt = 1; ; attempt++) {
            long t0 = System.nanoTime();
            try {
                ChunkResult r = inTransaction(conn -> chunk.loadNext(conn, config.loader().chunkSize()));
                if (r.claimed() > 0) {
                    committed(r, System.nanoTime() - t0);
                }
                return r;
            } catch (DatabaseAway e) {
                throw e;
            } catch (RuntimeException e) {
                metrics.retried();
                List<Long> claimed = chunk.lastClaimed();
                FailureKind kind = FailureKind.of(e);
                if (kind == FailureKind.DATABASE_AWAY) {
                    throw new DatabaseAway(e);
                }
                if (kind == FailureKind.RETRY_NOW && attempt < IMMEDIATE_RETRIES) {
                    sleep(10L * attempt);
                    continue;
                }
                if (claimed.isEmpty()) {
                    throw new DatabaseAway(e);
                }
                if (kind == FailureKind.POISON) {
                    LOG.warnf("chunk of %d reports failed (%s); loading them one by one", claimed.size(), e.toString());
                    isolate(chunk, claimed);
                } else {
                    markForRetry(claimed, e);
                }
                return new ChunkResult(claimed.size(), 0, 0, 0, 0, 0);
            }
        }
    }

    /** Loads each report of a failed chunk alone, so that only the poisoned ones go to invalid records. */
    private void isolate(LoaderChunk chunk, List<Long> ids) {
        for (long id : ids) {
            long t0 = System.nanoTime();
            try {
                ChunkResult r = inTransaction(conn -> chunk.loadOne(conn, id));
                if (r.claimed() > 0) {
                    committed(r, System.nanoTime() - t0);
                }
            } catch (DatabaseAway e) {
                throw e;
            } catch (RuntimeException e) {
                FailureKind kind = FailureKind.of(e);
                if (kind == FailureKind.DATABASE_AWAY) {
                    throw new DatabaseAway(e);
                }
                if (kind == FailureKind.POISON) {
                    moveToInvalid(List.of(id), 0, "cannot be loaded: " + e);
                } else {
                    markForRetry(List.of(id), e);
                }
            }
        }
    }

    /** Records failed transiently: retried after the Retry Config delays, then given up as invalid. */
    void markForRetry(List<Long> ids, Throwable cause) {
        List<Duration> delays = config.retryConfig();
        Double[] seconds = delays.stream().map(d -> d.toMillis() / 1000.0).toArray(Double[]::new);
        moveToInvalid(ids, delays.size(), "failed " + (delays.size() + 1) + " times, last: " + cause);
        inTransaction(conn -> LoaderChunk.run(conn, MARK_FOR_RETRY,
                Tuple.of(ids.toArray(new Long[0]), cause.toString(), seconds)));
        LOG.warnf("%d reports failed transiently (%s); retried after the Retry Config delays", ids.size(), cause.toString());
    }

    private void moveToInvalid(List<Long> ids, int minAttempts, String reason) {
        long messages = inTransaction(conn -> {
            long n = 0;
            for (Row r : LoaderChunk.run(conn, MOVE_TO_INVALID, Tuple.of(ids.toArray(new Long[0]), minAttempts, reason))) {
                n += r.getInteger("message_count");
            }
            if (n > 0) {
                LoaderChunk.run(conn, LoaderChunk.ADD_COUNTERS, Tuple.of(instance + "-invalid", 0L, 0L, n, 0L));
            }
            return n;
        });
        if (messages > 0) {
            invalidTotal.addAndGet(messages);
            metrics.movedToInvalid(messages);
            LOG.warnf("Processed 0 records with %d invalid records (%s)", messages, reason);
        }
    }

    private void committed(ChunkResult r, long nanos) {
        metrics.committed(r, nanos);
        processedTotal.addAndGet(r.processed());
        invalidTotal.addAndGet(r.invalid());
        LOG.debugf("Processed %d records with %d invalid records (%d reports, %d duplicates, %.1f ms)",
                r.processed(), r.invalid(), r.claimed(), r.duplicates(), nanos / 1e6);
    }

    private <T> T inTransaction(java.util.function.Function<SqlConnection, T> work) {
        SqlConnection conn;
        try {
            conn = pool.getConnection().await().atMost(WAIT);
        } catch (RuntimeException e) {
            throw new DatabaseAway(e);
        }
        Transaction tx = null;
        try {
            tx = conn.begin().await().atMost(WAIT);
            T result = work.apply(conn);
            beforeCommit.run();
            tx.commit().await().atMost(WAIT);
            tx = null;
            return result;
        } finally {
            if (tx != null) {
                try {
                    tx.rollback().await().atMost(Duration.ofSeconds(10));
                } catch (RuntimeException ignored) {
                    // the connection is closed below either way; Postgres rolls back what was not committed
                }
            }
            try {
                conn.close().await().atMost(Duration.ofSeconds(10));
            } catch (RuntimeException ignored) {
                // nothing more to release
            }
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The database cannot be reached; the loader backs off and marks nothing. */
    static final class DatabaseAway extends RuntimeException {
        DatabaseAway(Throwable cause) {
            super(cause);
        }
    }
}
