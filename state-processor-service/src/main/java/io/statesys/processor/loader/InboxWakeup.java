package io.statesys.processor.loader;

import java.time.Duration;

/**
 * Wakes idle loaders when the relay commits a report (Postgres NOTIFY), or after the polling
 * interval. A generation counter means a notification that arrives while a loader is still
 * looking at an empty inbox is not lost.
 */
public final class InboxWakeup {
    private long generation;

    public synchronized long generation() {
        return generation;
    }

    public synchronized void signal() {
        generation++;
        notifyAll();
    }

    /** Waits until a signal newer than {@code seen}, or the timeout; true when signalled. */
    public synchronized boolean await(long seen, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (generation == seen) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            long ms = Math.max(1, left / 1_000_000);
            wait(ms);
        }
        return true;
    }
}
