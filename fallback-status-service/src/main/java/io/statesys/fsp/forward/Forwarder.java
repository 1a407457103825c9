package io.statesys.fsp.forward;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.statesys.fsp.FspConfig;
import io.statesys.fsp.throttle.Throttle;
import io.statesys.service.database.Transactions;
import io.statesys.service.retry.Backoff;
import io.statesys.service.retry.Pause;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The forwarder's lifecycle: one thread running {@link ForwardRound}s back to back (each forwards
 * its reports on {@code statesys.fsp.forward-concurrency} sender threads) while there is
 * budget and work, sleeping until the throttle's bucket holds a message again, a short idle pause
 * when the queue is empty, the relay's Retry-After when it answers busy, and a capped, jittered
 * back-off while the relay is unreachable.
 */
@ApplicationScoped
public class Forwarder {
    private static final Logger LOG = Logger.getLogger(Forwarder.class);
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final long IDLE_MS = 250;
    /** Most messages leased per round; the throttle usually grants fewer. */
    static final int MAX_BATCH = 2000;
    static final Backoff RELAY_BACKOFF = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(60));

    /** What one round did. */
    public enum Round { IDLE, THROTTLED, FORWARDED, RELAY_BUSY, RELAY_UNAVAILABLE }

    private final ForwardRound round;
    private final ExecutorService senders;
    private final Throttle throttle;
    private final boolean autoStart;
    private volatile boolean running;
    private Thread thread;
    private int consecutiveFailures;
    private volatile double lastRemaining;
    private volatile Duration lastRetryAfter = Duration.ZERO;

    public Forwarder(Pool pool, Throttle throttle, RelayGateway relay, MeterRegistry registry, FspConfig config) {
        Transactions tx = new Transactions(pool, WAIT);
        int concurrency = Math.max(1, config.forwardConcurrency());
        this.senders = Executors.newFixedThreadPool(concurrency, r -> {
            Thread t = new Thread(r, "fsp-sender");
            t.setDaemon(true);
            return t;
        });
        this.round = new ForwardRound(tx, new ForwardStore(tx, RELAY_BACKOFF), throttle, relay, MAX_BATCH,
                BatchTransport.batchBytes(config.forwardInflightBytes(), concurrency), senders, registry);
        this.throttle = throttle;
        this.autoStart = config.forwarderAutoStart();
    }

    void onStart(@Observes StartupEvent ev) {
        if (autoStart) {
            start();
        }
    }

    void onStop(@Observes ShutdownEvent ev) {
        running = false;
        senders.shutdownNow();
        if (thread != null) {
            thread.interrupt();
        }
    }

    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        thread = new Thread(this::loop, "fsp-forwarder");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        while (running) {
            Round r;
            try {
                r = forwardOnce();
            } catch (RuntimeException e) {
                LOG.warnf("forward round failed: %s", e.toString());
                consecutiveFailures++;
                r = Round.RELAY_UNAVAILABLE;
            }
            long pause = switch (r) {
                case IDLE -> IDLE_MS;
                case THROTTLED -> throttle.untilNext(lastRemaining).toMillis();
                case RELAY_UNAVAILABLE -> RELAY_BACKOFF.delayMillis(consecutiveFailures - 1);
                case RELAY_BUSY -> lastRetryAfter.toMillis();
                case FORWARDED -> 0;
            };
            if (!Pause.millis(pause)) {
                return;
            }
        }
    }

    /** One round now, on the calling thread (the loop, and tests). */
    public Round forwardOnce() {
        ForwardRound.Result result = round.run();
        lastRemaining = result.throttleRemaining();
        lastRetryAfter = result.retryAfter();
        Round r = result.outcome();
        if (r == Round.RELAY_UNAVAILABLE) {
            consecutiveFailures++;
        } else if (r == Round.FORWARDED) {
            consecutiveFailures = 0;
        }
        return r;
    }
}
