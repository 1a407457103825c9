package io.statesys.service.ingress;

import java.util.concurrent.ConcurrentHashMap;

/**
 * How many refusals of one source address are kept each minute: a fixed window per address. The
 * table is emptied when a new minute begins, so it holds at most the addresses of one minute.
 */
final class SourceQuota {
    private final int perMinute;
    private final ConcurrentHashMap<String, Integer> used = new ConcurrentHashMap<>();
    private volatile long minute = -1;

    SourceQuota(int perMinute) {
        this.perMinute = perMinute;
    }

    /** True when {@code source} may have one more refusal kept in the minute of {@code nowMillis}. */
    boolean take(String source, long nowMillis) {
        long m = nowMillis / 60_000;
        if (m != minute) {
            synchronized (this) {
                if (m != minute) {
                    used.clear();
                    minute = m;
                }
            }
        }
        return used.merge(source, 1, Integer::sum) <= perMinute;
    }
}
