package io.statesys.console.overview;

import io.smallrye.mutiny.Uni;
import io.statesys.schema.InboxDepth;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.enterprise.context.ApplicationScoped;

/** The overview's live figures, one statement. */
@ApplicationScoped
public class OverviewStore {
    static final String LIVE = """
            SELECT i.reports AS inbox_reports, i.messages AS inbox_messages, i.oldest,
                   (SELECT coalesce(sum(processed + invalid + duplicates), 0) FROM loader_counter) AS processed,
                   (SELECT count(*) FROM invalid_record) AS invalid_records,
                   (SELECT count(*) FROM bad_report) AS refused,
                   (SELECT count(*) FROM bad_report WHERE received_at > now() - interval '1 hour') AS refused_hour,
                   (SELECT count(*) FROM resync_request WHERE completed_at IS NULL) AS outstanding,
                   (SELECT count(*) FROM resync_request WHERE completed_at IS NULL AND reissue_count > 0) AS reissued,
                   (SELECT coalesce(extract(epoch FROM now() - min(first_issued_at)), 0)::bigint
                    FROM resync_request WHERE completed_at IS NULL) AS oldest_resync,
                   (SELECT count(*) FROM resync_check_run WHERE capped AND checked_at > now() - interval '1 day') AS cap_hits,
                   now() AS as_of
            FROM (""" + InboxDepth.SELECT + ") i";

    public record Live(long inboxReports, long inboxMessages, long oldestAgeSeconds, long processed, long invalidRecords,
                       long refused, long refusedLastHour, long outstanding, long reissued, long oldestResyncAgeSeconds,
                       long capHits, java.time.Instant asOf) {
    }

    private final Pool pool;

    public OverviewStore(Pool pool) {
        this.pool = pool;
    }

    public Uni<Live> live() {
        return pool.query(LIVE).execute().map(rows -> {
            Row r = rows.iterator().next();
            return new Live(r.getLong("inbox_reports"), r.getLong("inbox_messages"), r.getLong("oldest"), r.getLong("processed"),
                    r.getLong("invalid_records"), r.getLong("refused"), r.getLong("refused_hour"), r.getLong("outstanding"),
                    r.getLong("reissued"), r.getLong("oldest_resync"), r.getLong("cap_hits"),
                    r.getOffsetDateTime("as_of").toInstant());
        });
    }
}
