package io.statesys.service.retry;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Capped exponential back-off with jitter: the n-th consecutive failure waits between half and
 * all of {@code min(cap, base × 2^n)}, so replicas that failed together do not retry together.
 */
public record Backoff(Duration base, Duration cap) {
    public Backoff {
        if (base.isNegative() || base.isZero() || cap.compareTo(base) < 0) {
            throw new IllegalArgumentException("need 0 < base <= cap: " + base + ", " + cap);
        }
    }

    /** The ceiling of the wait after {@code failures} consecutive failures (0 = the first). */
    public long ceilingMillis(int failures) {
        long base = this.base.toMillis();
        int shift = Math.min(Math.max(failures, 0), 30);
        long exp = base > (Long.MAX_VALUE >> shift) ? Long.MAX_VALUE : base << shift;
        return Math.min(cap.toMillis(), exp);
    }

    public long delayMillis(int failures) {
        long ceiling = ceilingMillis(failures);
        return ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1);
    }

    /** Sleeps the delay for {@code failures}; false when interrupted (the caller should stop). */
    public boolean pause(int failures) {
        return Pause.millis(delayMillis(failures));
    }
}
