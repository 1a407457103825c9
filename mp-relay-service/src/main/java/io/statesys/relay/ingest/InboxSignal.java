package io.statesys.relay.ingest;

import io.statesys.schema.InboxChannel;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Tells the loaders that reports have been committed, at most once per {@value #DEBOUNCE_MS} ms:
 * the first commit after a quiet spell schedules one NOTIFY; every commit until it goes out is
 * covered by it, because it is sent after them. Loaders that miss one (database blip) still poll
 * the inbox every Inbox Polling Interval.
 */
@ApplicationScoped
public class InboxSignal {
    private static final Logger LOG = Logger.getLogger(InboxSignal.class);
    static final long DEBOUNCE_MS = 20;

    private final Vertx vertx;
    private final Pool pool;
    private final AtomicBoolean scheduled = new AtomicBoolean();

    public InboxSignal(Vertx vertx, Pool pool) {
        this.vertx = vertx;
        this.pool = pool;
    }

    /** Call after a report's commit. */
    public void committed() {
        if (scheduled.compareAndSet(false, true)) {
            vertx.setTimer(DEBOUNCE_MS, id -> {
                scheduled.set(false);
                pool.query(InboxChannel.NOTIFY).execute().subscribe().with(
                        ok -> { },
                        err -> LOG.debugf("NOTIFY %s failed (loaders fall back to polling): %s", InboxChannel.NAME, err));
            });
        }
    }
}
