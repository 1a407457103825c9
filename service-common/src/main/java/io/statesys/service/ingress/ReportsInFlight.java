package io.statesys.service.ingress;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes of report bodies an ingress holds at once. A report costs its heap several times over
 * while it is read, decoded, parsed and stored (the body, its copy, the parsed messages, the inbox
 * payload); without a bound, sixteen legal 10,000-message reports arriving together took a relay
 * with a 192 MiB heap to OutOfMemoryError. A body is admitted while
 * the bytes held stay within the budget — and always when nothing is held, so a report of the
 * largest legal size is never refused for ever.
 */
public final class ReportsInFlight {
    private final long budget;
    private final AtomicLong held = new AtomicLong();

    public ReportsInFlight(long budget) {
        if (budget <= 0) {
            throw new IllegalArgumentException("budget must be positive: " + budget);
        }
        this.budget = budget;
    }

    /** The budget a JVM gets when none is configured: an eighth of its maximum heap. */
    public static long defaultBudget(long maxHeapBytes) {
        return Math.max(1, maxHeapBytes / 8);
    }

    /** Takes {@code bytes} from the budget, or nothing and false when they do not fit. */
    public boolean tryTake(long bytes) {
        long n = Math.max(0, bytes);
        while (true) {
            long now = held.get();
            if (now > 0 && now + n > budget) {
                return false;
            }
            if (held.compareAndSet(now, now + n)) {
                return true;
            }
        }
    }

    /**
     * Takes {@code bytes} more for a body that already holds {@code mine}: as {@link #tryTake(long)},
     * and always when that body is the only one holding anything, so a lone report of the largest
     * legal size is read whatever the budget.
     */
    public boolean tryTakeMore(long bytes, long mine) {
        long n = Math.max(0, bytes);
        while (true) {
            long now = held.get();
            if (now - mine > 0 && now + n > budget) {
                return false;
            }
            if (held.compareAndSet(now, now + n)) {
                return true;
            }
        }
    }

    /** Gives back what {@link #tryTake} took. */
    public void giveBack(long bytes) {
        held.addAndGet(-Math.max(0, bytes));
    }

    public long held() {
        return held.get();
    }

    public long budget() {
        return budget;
    }
}
