package io.statesys.console.samples;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The sampled history ({@code console_sample}), read back for the overview, activity and floods. */
@ApplicationScoped
public class Samples {
    static final String SINCE = """
            SELECT sampled_at, inbox_reports, inbox_messages, oldest_age_seconds, processed, received, fsp_queued,
                   outstanding_resyncs, clients, active_24h, active_7d, stale_30d, never_reported
            FROM console_sample WHERE sampled_at >= now() - make_interval(secs => $1) ORDER BY sampled_at""";

    static final String LATEST = """
            SELECT sampled_at, inbox_reports, inbox_messages, oldest_age_seconds, processed, received, fsp_queued,
                   outstanding_resyncs, clients, active_24h, active_7d, stale_30d, never_reported, floods, never_examples, obsolete
            FROM console_sample ORDER BY sampled_at DESC LIMIT 1""";

    public record Sample(Instant at, long inboxReports, long inboxMessages, long oldestAgeSeconds, long processed, long received,
                         long fspQueued, long outstandingResyncs, long clients, long active24h, long active7d, long stale30d, long neverReported) {
        static Sample of(Row r) {
            return new Sample(r.getOffsetDateTime("sampled_at").toInstant(), r.getLong("inbox_reports"), r.getLong("inbox_messages"),
                    r.getLong("oldest_age_seconds"), r.getLong("processed"), r.getLong("received"), r.getLong("fsp_queued"),
                    r.getLong("outstanding_resyncs"), r.getLong("clients"), r.getLong("active_24h"), r.getLong("active_7d"),
                    r.getLong("stale_30d"), r.getLong("never_reported"));
        }
    }

    /** The latest sample with what it found: the top floods, never-reported and longest-silent clients (JSON, as the views show them). */
    public record Latest(Sample sample, JsonArray floods, JsonArray neverExamples, JsonArray obsolete) {
    }

    private final Pool pool;

    public Samples(Pool pool) {
        this.pool = pool;
    }

    public Uni<List<Sample>> since(long seconds) {
        return pool.preparedQuery(SINCE).execute(Tuple.of((double) seconds)).map(rows -> {
            List<Sample> out = new ArrayList<>();
            for (Row r : rows) {
                out.add(Sample.of(r));
            }
            return out;
        });
    }

    public Uni<Optional<Latest>> latest() {
        return pool.query(LATEST).execute().map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(
                new Latest(Sample.of(rows.iterator().next()), rows.iterator().next().getJsonArray("floods"),
                        rows.iterator().next().getJsonArray("never_examples"), rows.iterator().next().getJsonArray("obsolete"))));
    }
}
