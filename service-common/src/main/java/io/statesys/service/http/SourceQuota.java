package io.statesys.service.http;

import java.util.concurrent.ConcurrentHashMap;

/**
 * How many of something one source address may have each minute (refusals kept, failed sign-ins):
 * a fixed window per address. The table is emptied when a new minute begins, so it holds at most
 * the addresses of one minute.
 */
public final class SourceQuota {
    private final int perMinute;
    private final ConcurrentHashMap<String, Integer> used = new ConcurrentHashMap<>();
    private volatile long minute = -1;

    public SourceQuota(int perMinute) {
        this.perMinute = perMinute;
    }

    /** True when {@code source} may have one more refusal kept in the minute of {@code nowMillis}. */
    public boolean take(String source, long nowMillis) {
        roll(nowMillis);
        return used.merge(source, 1, Integer::sum) <= perMinute;
    }

    /** True when {@code source} has not used up its quota in the minute of {@code nowMillis} (nothing is taken). */
    public boolean available(String source, long nowMillis) {
        roll(nowMillis);
        return used.getOrDefault(source, 0) < perMinute;
    }

    /**
     * The source address of a request, as quotas key it: the remote host as Quarkus reports it
     * (behind a trusted proxy, the forwarded one); empty when unknown.
     */
    public static String sourceOf(io.vertx.core.http.HttpServerRequest request) {
        io.vertx.core.net.SocketAddress a = request == null ? null : request.remoteAddress();
        return a == null || a.host() == null ? "" : a.host();
    }

    private void roll(long nowMillis) {
        long m = nowMillis / 60_000;
        if (m != minute) {
            synchronized (this) {
                if (m != minute) {
                    used.clear();
                    minute = m;
                }
            }
        }
    }
}
