package io.statesys.processor.views;

import io.smallrye.mutiny.Uni;
import io.statesys.schema.InboxDepth;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The state system's backlog, totals and heartbeats, read in two statements. */
@ApplicationScoped
public class SystemStatus {
    static final String TOTALS = """
            SELECT i.reports AS inbox_reports, i.messages AS inbox_messages, i.oldest AS oldest_age,
                   k.processed, k.invalid, k.duplicates,
                   (SELECT count(*) FROM bad_report) AS bad_reports
            FROM (%s) i,
                 (SELECT coalesce(sum(processed), 0) AS processed, coalesce(sum(invalid), 0) AS invalid,
                         coalesce(sum(duplicates), 0) AS duplicates
                  FROM loader_counter) k""".formatted(InboxDepth.SELECT);

    static final String HEARTBEATS = "SELECT instance, beat_at, started_at FROM state_system_heartbeat ORDER BY beat_at DESC LIMIT 20";

    private final Pool pool;

    public SystemStatus(Pool pool) {
        this.pool = pool;
    }

    public record Totals(long inboxReports, long inboxMessages, long oldestAgeSeconds, long processed, long invalid,
                         long duplicates, long badReports) {
    }

    public record Beat(String instance, Instant beatAt, Instant startedAt) {
    }

    public Uni<Totals> totals() {
        return pool.query(TOTALS).execute().map(rows -> {
            Row r = rows.iterator().next();
            return new Totals(r.getLong("inbox_reports"), r.getLong("inbox_messages"),
                    r.getLong("oldest_age"), r.getLong("processed"),
                    r.getLong("invalid"), r.getLong("duplicates"), r.getLong("bad_reports"));
        });
    }

    public Uni<List<Beat>> heartbeats() {
        return pool.query(HEARTBEATS).execute().map(rows -> {
            List<Beat> out = new ArrayList<>();
            for (Row r : rows) {
                out.add(new Beat(r.getString("instance"), r.getOffsetDateTime("beat_at").toInstant(),
                        r.getOffsetDateTime("started_at").toInstant()));
            }
            return out;
        });
    }
}
