package io.statesys.sim.simulate;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Holds all senders together to a message rate: each report books the next free slot on one shared
 * timeline, as long as its messages take at that rate, and waits for it. A sender that falls behind
 * does not earn a burst later (the timeline never lags the clock), so the rate is an upper bound.
 */
final class Pacer {
    private final double nanosPerMessage;
    private final AtomicLong nextFree = new AtomicLong(System.nanoTime());

    Pacer(double messagesPerSecond) {
        this.nanosPerMessage = TimeUnit.SECONDS.toNanos(1) / messagesPerSecond;
    }

    void acquire(int messages) {
        long cost = Math.round(messages * nanosPerMessage);
        long slot;
        long now;
        do {
            now = System.nanoTime();
            slot = nextFree.get();
        } while (!nextFree.compareAndSet(slot, Math.max(slot, now) + cost));
        long wait = slot - now;
        while (wait > 0) {
            LockSupport.parkNanos(wait);
            wait = slot - System.nanoTime();
        }
    }
}
