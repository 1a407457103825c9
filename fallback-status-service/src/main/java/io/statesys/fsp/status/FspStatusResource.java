package io.statesys.fsp.status;

import io.smallrye.mutiny.Uni;
import io.statesys.fsp.throttle.Throttle;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.time.Instant;
import java.time.OffsetDateTime;

/** The fallback status point at a glance (CONTRACT §3). */
@Path("/api/v1/fsp/status")
@Produces(MediaType.APPLICATION_JSON)
public class FspStatusResource {
    static final String STATUS = """
            SELECT (SELECT count(*) FROM fsp_queue) AS queued,
                   (SELECT coalesce(extract(epoch FROM now() - min(received_at)), 0)::bigint FROM fsp_queue) AS oldest,
                   (SELECT count(*) FROM fsp_dead_letter) AS dead_letters,
                   f.forwarded, f.last_forward_at, f.last_error, f.last_error_at
            FROM fsp_forward_stats f WHERE f.id = 1""";

    private final Pool pool;
    private final Throttle throttle;

    public FspStatusResource(Pool pool, Throttle throttle) {
        this.pool = pool;
        this.throttle = throttle;
    }

    public record ThrottleSettings(int messages, long intervalSeconds) {
    }

    public record Status(long queued, long forwarded, ThrottleSettings throttle, Instant lastForwardAt, String lastError,
                         Instant lastErrorAt, long oldestQueuedAgeSeconds, long deadLetters) {
    }

    @GET
    public Uni<Status> status() {
        return pool.query(STATUS).execute().map(rows -> {
            Row r = rows.iterator().next();
            return new Status(r.getLong("queued"), r.getLong("forwarded"),
                    new ThrottleSettings(throttle.messages(), throttle.interval().toSeconds()),
                    instant(r.getOffsetDateTime("last_forward_at")), r.getString("last_error"),
                    instant(r.getOffsetDateTime("last_error_at")), r.getLong("oldest"), r.getLong("dead_letters"));
        });
    }

    private static Instant instant(OffsetDateTime t) {
        return t == null ? null : t.toInstant();
    }
}
