package io.statesys.processor.reports;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The state system at a glance: backlog, what was processed, what was refused, who is alive. */
@Path("/api/v1/status")
@Produces(MediaType.APPLICATION_JSON)
public class StatusResource {
    static final String STATUS = """
            SELECT (SELECT count(*) FROM inbox) AS inbox_reports,
                   (SELECT coalesce(sum(message_count), 0) FROM inbox) AS inbox_messages,
                   (SELECT coalesce(extract(epoch FROM now() - min(received_at)), 0) FROM inbox) AS oldest_age,
                   (SELECT coalesce(sum(processed), 0) FROM loader_counter) AS processed,
                   (SELECT coalesce(sum(invalid), 0) FROM loader_counter) AS invalid,
                   (SELECT coalesce(sum(duplicates), 0) FROM loader_counter) AS duplicates,
                   (SELECT count(*) FROM bad_report) AS bad_reports""";

    static final String HEARTBEATS = "SELECT instance, beat_at, started_at FROM state_system_heartbeat ORDER BY beat_at DESC LIMIT 20";

    private final Pool pool;

    public StatusResource(Pool pool) {
        this.pool = pool;
    }

    public record Inbox(long reports, long messages, long oldestAgeSeconds) {
    }

    public record Heartbeat(String instance, Instant beatAt, Instant startedAt) {
    }

    public record Status(Inbox inbox, long processed, long invalid, long badReports, long duplicates, List<Heartbeat> heartbeats) {
    }

    @GET
    public Uni<Status> status() {
        Uni<List<Heartbeat>> beats = pool.query(HEARTBEATS).execute().map(rows -> {
            List<Heartbeat> out = new ArrayList<>();
            for (Row r : rows) {
                out.add(new Heartbeat(r.getString("instance"), r.getOffsetDateTime("beat_at").toInstant(),
                        r.getOffsetDateTime("started_at").toInstant()));
            }
            return out;
        });
        return pool.query(STATUS).execute().chain(rows -> {
            Row r = rows.iterator().next();
            Inbox inbox = new Inbox(r.getLong("inbox_reports"), r.getLong("inbox_messages"),
                    (long) Math.floor(r.getNumeric("oldest_age").doubleValue()));
            return beats.map(b -> new Status(inbox, r.getLong("processed"), r.getLong("invalid"), r.getLong("bad_reports"),
                    r.getLong("duplicates"), b));
        });
    }
}
