package io.statesys.fsp.status;

import io.smallrye.mutiny.Uni;
import io.statesys.schema.FspBacklog;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.OffsetDateTime;

/** What the FSP holds and has forwarded, read in one statement. */
@ApplicationScoped
public class ForwardingStatus {
    static final String STATUS = "SELECT " + FspBacklog.QUEUED_MESSAGES + " AS queued, " + FspBacklog.OLDEST_AGE_SECONDS + " AS oldest, "
            + """
            (SELECT count(*) FROM fsp_dead_letter) AS dead_letters,
                   f.forwarded, f.last_forward_at, f.last_error, f.last_error_at
            FROM fsp_forward_stats f WHERE f.id = 1""";

    private final Pool pool;

    public ForwardingStatus(Pool pool) {
        this.pool = pool;
    }

    public record Snapshot(long queued, long oldestQueuedAgeSeconds, long deadLetters, long forwarded,
                           OffsetDateTime lastForwardAt, String lastError, OffsetDateTime lastErrorAt) {
    }

    public Uni<Snapshot> read() {
        return pool.query(STATUS).execute().map(rows -> {
            Row r = rows.iterator().next();
            return new Snapshot(r.getLong("queued"), r.getLong("oldest"), r.getLong("dead_letters"), r.getLong("forwarded"),
                    r.getOffsetDateTime("last_forward_at"), r.getString("last_error"), r.getOffsetDateTime("last_error_at"));
        });
    }
}
