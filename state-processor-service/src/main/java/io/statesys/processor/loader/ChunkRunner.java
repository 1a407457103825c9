package io.statesys.processor.loader;

import io.statesys.service.database.DatabaseUnavailableException;
import io.statesys.service.database.Transactions;
import io.statesys.service.retry.Pause;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs chunks, each in its own transaction, and decides what a failed one means
 * ({@link LoaderFailure}): back off while the database is away (nothing is marked), try a lost race
 * again at once, load a poisoned chunk report by report so that only the bad reports go to invalid
 * records, and give transiently failing reports the Retry Config delays before they are given up.
 */
final class ChunkRunner {
    private static final Logger LOG = Logger.getLogger("io.statesys.processor.CMessageProcessor");
    private static final int IMMEDIATE_RETRIES = 5;

    private final Transactions tx;
    private final LoaderStore store;
    private final LoaderMetrics metrics;
    private final List<Duration> retryDelays;
    private final String invalidShard;
    private final AtomicLong processedTotal = new AtomicLong();
    private final AtomicLong invalidTotal = new AtomicLong();
    private final SchemaFit schemaFit = new SchemaFit();
    private volatile Runnable beforeCommit = () -> { };

    ChunkRunner(Transactions tx, LoaderStore store, LoaderMetrics metrics, List<Duration> retryDelays, String instance) {
        this.tx = tx;
        this.store = store;
        this.metrics = metrics;
        this.retryDelays = retryDelays;
        this.invalidShard = instance + "-invalid";
    }

    void beforeCommit(Runnable hook) {
        this.beforeCommit = hook == null ? () -> { } : hook;
    }

    SchemaFit schemaFit() {
        return schemaFit;
    }

    long processedTotal() {
        return processedTotal.get();
    }

    long invalidTotal() {
        return invalidTotal.get();
    }

    /** Loads the next chunk, with the full failure handling; {@link DatabaseUnavailableException} when the database is away. */
    ChunkResult next(ChunkLoader loader, int chunkSize) {
        for (int attempt = 1; ; attempt++) {
            long t0 = System.nanoTime();
            try {
                ChunkResult r = tx.inTransaction(conn -> loader.loadNext(conn, chunkSize), beforeCommit);
                committed(r, System.nanoTime() - t0);
                return r;
            } catch (DatabaseUnavailableException e) {
                throw e;
            } catch (RuntimeException e) {
                metrics.retried();
                LoaderFailure kind = LoaderFailure.of(e);
                List<Long> claimed = e instanceof ChunkFailedException f ? f.claimed() : List.of();
                if (kind == LoaderFailure.DATABASE_AWAY) {
                    throw new DatabaseUnavailableException(e);
                }
                if (kind == LoaderFailure.SCHEMA_MISMATCH) {
                    throw schemaMismatch(e);
                }
                if (kind == LoaderFailure.RETRY_NOW && attempt < IMMEDIATE_RETRIES) {
                    Pause.millis(10L * attempt);
                    continue;
                }
                if (claimed.isEmpty()) {
                    throw new DatabaseUnavailableException(e);
                }
                if (kind == LoaderFailure.POISON) {
                    LOG.warnf("chunk of %d reports failed (%s); loading them one by one", claimed.size(), e.getCause());
                    isolate(loader, claimed);
                } else {
                    markForRetry(claimed, e.getCause());
                }
                return new ChunkResult(claimed.size(), 0, 0, 0, 0, 0);
            }
        }
    }

    /** Loads each report of a failed chunk alone, so that only the poisoned ones go to invalid records. */
    private void isolate(ChunkLoader loader, List<Long> ids) {
        for (long id : ids) {
            long t0 = System.nanoTime();
            try {
                committed(tx.inTransaction(conn -> loader.loadOne(conn, id), beforeCommit), System.nanoTime() - t0);
            } catch (DatabaseUnavailableException e) {
                throw e;
            } catch (RuntimeException e) {
                Throwable cause = e instanceof ChunkFailedException ? e.getCause() : e;
                switch (LoaderFailure.of(e)) {
                    case DATABASE_AWAY -> throw new DatabaseUnavailableException(e);
                    case SCHEMA_MISMATCH -> throw schemaMismatch(e);
                    case POISON -> moveToInvalid(List.of(id), 0, "cannot be loaded: " + cause);
                    default -> markForRetry(List.of(id), cause);
                }
            }
        }
    }

    /** Counted, then thrown by the caller: the loader pauses and nothing is marked. */
    private SchemaMismatchException schemaMismatch(RuntimeException e) {
        metrics.schemaMismatch();
        schemaFit.misfit(e);
        return new SchemaMismatchException(e);
    }

    /** Records failed transiently: retried after the Retry Config delays, then given up as invalid. */
    void markForRetry(List<Long> ids, Throwable cause) {
        Double[] seconds = retryDelays.stream().map(d -> d.toMillis() / 1000.0).toArray(Double[]::new);
        moveToInvalid(ids, retryDelays.size(), "failed " + (retryDelays.size() + 1) + " times, last: " + cause);
        tx.inTransaction(conn -> {
            store.markForRetry(conn, ids, cause.toString(), seconds);
            return null;
        });
        LOG.warnf("%d reports failed transiently (%s); retried after the Retry Config delays", ids.size(), cause.toString());
    }

    private void moveToInvalid(List<Long> ids, int minAttempts, String reason) {
        long messages = tx.inTransaction(conn -> {
            long n = store.moveToInvalid(conn, ids, minAttempts, reason);
            if (n > 0) {
                store.addCounters(conn, invalidShard, 0, 0, n, 0);
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
        if (r.claimed() == 0) {
            return;
        }
        schemaFit.fits();
        metrics.committed(r, nanos);
        processedTotal.addAndGet(r.processed());
        invalidTotal.addAndGet(r.invalid());
        LOG.debugf("Processed %d records with %d invalid records (%d reports, %d duplicates, %.1f ms)",
                r.processed(), r.invalid(), r.claimed(), r.duplicates(), nanos / 1e6);
    }
}
