package io.statesys.processor.loader;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.statesys.core.config.StatesysConfig;
import io.statesys.processor.ProcessorConfig;
import io.statesys.service.database.DatabaseUnavailableException;
import io.statesys.service.database.Transactions;
import io.statesys.service.retry.Backoff;
import io.statesys.service.retry.Pause;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The state system loader's lifecycle: {@code statesys.loader.threads} threads, each claiming
 * chunks of {@code statesys.loader.chunk-size} reports ({@link ChunkLoader}, run by
 * {@link ChunkRunner}), at most {@code max-chunks-fetched} per pass, then sleeping until a NOTIFY
 * from the relay or the inbox polling interval. Several processor replicas share one inbox through
 * SKIP LOCKED claims.
 */
@ApplicationScoped
public class Loader {
    private static final Logger LOG = Logger.getLogger("io.statesys.processor.CMessageProcessor");
    private static final Backoff DATABASE_BACKOFF = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30));
    private static final long FAILED_PASS_PAUSE_MS = 1000;

    private final ProcessorConfig config;
    private final UserParamsJson json;
    private final LoaderStore store;
    private final ChunkRunner runner;
    private final boolean autoStart;
    private final InboxWakeup wakeup = new InboxWakeup();
    private final List<Thread> threads = new ArrayList<>();
    private final String instance = UUID.randomUUID().toString().substring(0, 8);
    private volatile boolean running;

    public Loader(Pool pool, StatesysConfig shared, ProcessorConfig config, LoaderMetrics metrics, UserParamsJson json) {
        this.config = config;
        this.json = json;
        Transactions tx = new Transactions(pool, LoaderStore.STATEMENT_WAIT);
        this.store = new LoaderStore(tx, io.statesys.schema.RetiredSerials.keptFor(shared.identity().signatureWindow()));
        this.runner = new ChunkRunner(tx, store, metrics, config.retryConfig(), instance);
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
            ChunkLoader loader = chunkLoader(instance + "-" + i);
            Thread t = new Thread(() -> loop(loader), "State Message Processing Thread #" + i);
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
        runner.beforeCommit(hook);
    }

    /** Marks reports as failed transiently, as a failed chunk would (tests of the Retry Config). */
    void markForRetry(List<Long> ids, Throwable cause) {
        runner.markForRetry(ids, cause);
    }

    public InboxWakeup wakeup() {
        return wakeup;
    }

    public String instance() {
        return instance;
    }

    /** Whether the loader is paused because the schema does not fit its statements. */
    SchemaFit schemaFit() {
        return runner.schemaFit();
    }

    public long processedTotal() {
        return runner.processedTotal();
    }

    public long invalidTotal() {
        return runner.invalidTotal();
    }

    /** Loads one chunk on the calling thread (tests, and tools that drain the inbox synchronously). */
    public ChunkResult loadChunkNow() {
        return runner.next(chunkLoader(instance + "-direct"), config.loader().chunkSize());
    }

    /** Loads until the inbox has nothing ready; returns the messages processed. */
    public long drainNow() {
        ChunkLoader loader = chunkLoader(instance + "-direct");
        long processed = 0;
        ChunkResult r;
        while ((r = runner.next(loader, config.loader().chunkSize())).claimed() > 0) {
            processed += r.processed();
        }
        return processed;
    }

    private ChunkLoader chunkLoader(String shard) {
        return new ChunkLoader(shard, store, json);
    }

    private void loop(ChunkLoader loader) {
        int databaseFailures = 0;
        while (running) {
            long seen = wakeup.generation();
            boolean more = true;
            try {
                more = pass(loader);
                databaseFailures = 0;
            } catch (DatabaseUnavailableException e) {
                long ms = DATABASE_BACKOFF.delayMillis(databaseFailures++);
                if (e instanceof SchemaMismatchException) {
                    LOG.errorf("the database's schema does not fit this processor's statements (%s): loading paused, "
                            + "trying again in %d ms; the reports stay in the inbox for a processor whose version fits "
                            + "(a rollout across a migration? docs/operating.md, \"Upgrading across a migration\")", e.getCause(), ms);
                } else {
                    LOG.warnf("database unavailable, loader backing off %d ms: %s", ms, e.getCause());
                }
                Pause.millis(ms);
                continue;
            } catch (RuntimeException e) {
                LOG.error("loader pass failed", e);
                Pause.millis(FAILED_PASS_PAUSE_MS);
                continue;
            }
            if (!more) {
                try {
                    if (wakeup.await(seen, config.inboxPollingInterval())) {
                        Pause.millis(config.loader().notifyBatchDelay().toMillis());
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Up to max-chunks-fetched chunks; true when the last was full (more is probably waiting). */
    private boolean pass(ChunkLoader loader) {
        boolean more = true;
        long processed = 0;
        long invalid = 0;
        int reports = 0;
        for (int n = 0; running && more && n < config.loader().maxChunksFetched(); n++) {
            ChunkResult r = runner.next(loader, config.loader().chunkSize());
            // a partial chunk means the inbox is (nearly) empty: wait for the next notification
            more = r.claimed() >= config.loader().chunkSize();
            processed += r.processed();
            invalid += r.invalid();
            reports += r.claimed();
        }
        if (reports > 0) {
            LOG.infof("Processed %d records with %d invalid records (%d reports in this pass)", processed, invalid, reports);
        }
        return more;
    }
}
