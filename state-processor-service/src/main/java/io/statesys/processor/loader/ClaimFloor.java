package io.statesys.processor.loader;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Where a claim in arrival order starts. Loaders delete reports from the head of the inbox, and
 * until vacuum passes, the inbox's primary key keeps their entries: a claim that starts from the
 * beginning reads every one of them, and steps over the reports the other loaders hold locked,
 * every time (on a server without autovacuum that prefix only grows). So claims start after the
 * highest id this processor's loaders claimed.
 * <p>
 * That is a hint, never a promise: a report below it can still be waiting — its insert committed
 * after a later id was claimed, or another loader gave it back (rolled back, or marked for a retry).
 * So a claim starts from the beginning whenever the last one from the beginning is older than
 * {@link #RESCAN}, and whenever a claim from the floor finds nothing; no report waits longer than
 * that for it.
 */
final class ClaimFloor {
    static final Duration RESCAN = Duration.ofSeconds(1);

    private final AtomicLong floor = new AtomicLong();
    private final AtomicLong lastFromStart = new AtomicLong(Long.MIN_VALUE / 2);
    private final LongSupplier clock;
    private final long rescanNanos;

    ClaimFloor() {
        this(System::nanoTime, RESCAN);
    }

    ClaimFloor(LongSupplier nanoClock, Duration rescan) {
        this.clock = nanoClock;
        this.rescanNanos = rescan.toNanos();
    }

    /** The id after which the next claim starts: 0 (the beginning) when a rescan is due. */
    long from() {
        long now = clock.getAsLong();
        long last = lastFromStart.get();
        if (now - last >= rescanNanos && lastFromStart.compareAndSet(last, now)) {
            return 0;
        }
        return floor.get();
    }

    /**
     * A claim that started after {@code from} returned ids up to {@code highest} (nothing claimed:
     * {@code highest} &lt; 0). From the beginning, the floor becomes what was found (ids can start
     * again after a restarted sequence); from a floor, it only moves up.
     */
    void claimed(long from, long highest) {
        if (highest < 0) {
            return;
        }
        if (from == 0) {
            floor.set(highest);
        } else {
            floor.accumulateAndGet(highest, Math::max);
        }
    }
}
