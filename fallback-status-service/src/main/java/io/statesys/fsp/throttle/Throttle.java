package io.statesys.fsp.throttle;

import io.statesys.fsp.FspConfig;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;

/**
 * The FSP → relay budget: {@code statesys.fsp.throttle.messages} per
 * {@code statesys.fsp.throttle.interval}, as a token bucket kept in Postgres so that every FSP
 * replica draws on the same budget. The bucket holds at most a tenth of a second's worth (at least
 * one message), so the budget is spread evenly over the interval instead of spent in a burst.
 */
@ApplicationScoped
public class Throttle {
    static final String TAKE = """
            WITH b AS (
                SELECT LEAST($2::float8, tokens + $1::float8 * extract(epoch FROM clock_timestamp() - refilled_at)) AS avail
                FROM fsp_throttle WHERE id = 1 FOR UPDATE)
            UPDATE fsp_throttle t
            SET tokens = b.avail - GREATEST(0, LEAST(floor(b.avail), $3)), refilled_at = clock_timestamp()
            FROM b WHERE t.id = 1
            RETURNING GREATEST(0, LEAST(floor(b.avail), $3))::int AS granted,
                      b.avail - GREATEST(0, LEAST(floor(b.avail), $3)) AS remaining""";

    /** A signed report is forwarded whole: what it takes beyond the grant is owed, and refilled before the next grant. */
    static final String CHARGE = "UPDATE fsp_throttle SET tokens = tokens - $1 WHERE id = 1";

    static final String GIVE_BACK = "UPDATE fsp_throttle SET tokens = LEAST($2::float8, tokens + $1) WHERE id = 1";

    private static final Duration WAIT = Duration.ofSeconds(30);

    private final Pool pool;
    private final double perSecond;
    private final double capacity;
    private final int messages;
    private final Duration interval;

    public Throttle(Pool pool, FspConfig config) {
        this.pool = pool;
        this.messages = config.throttle().messages();
        this.interval = config.throttle().interval();
        this.perSecond = messages / (interval.toMillis() / 1000.0);
        this.capacity = Math.max(1.0, perSecond / 10);
    }

    /** Takes up to {@code wanted} messages of budget now; 0 when the budget is spent. */
    public int take(int wanted) {
        return grant(wanted).granted();
    }

    /** Budget taken now, and the fraction of a message left in the bucket (to time the next take exactly). */
    public record Grant(int granted, double remaining) {
    }

    public Grant grant(int wanted) {
        var row = pool.preparedQuery(TAKE).execute(Tuple.of(perSecond, capacity, wanted)).await().atMost(WAIT).iterator().next();
        return new Grant(row.getInteger("granted"), row.getDouble("remaining"));
    }

    /** Returns budget that was taken but not used (the relay could not be reached). */
    public void giveBack(int unused) {
        if (unused > 0) {
            pool.preparedQuery(GIVE_BACK).execute(Tuple.of((double) unused, capacity)).await().atMost(WAIT);
        }
    }

    /** Takes budget beyond a grant (a signed report larger than it); the bucket owes it. */
    public void charge(int extra) {
        if (extra > 0) {
            pool.preparedQuery(CHARGE).execute(Tuple.of((double) extra)).await().atMost(WAIT);
        }
    }

    /** How long until the bucket holds one whole message again, given what was left in it. */
    public Duration untilNext(double remaining) {
        long ms = (long) Math.ceil(Math.max(0, 1 - remaining) * 1000 / perSecond); // a debt (negative) waits longer
        return Duration.ofMillis(Math.max(1, Math.min(1000, ms)));
    }

    public int messages() {
        return messages;
    }

    public Duration interval() {
        return interval;
    }
}
