package io.statesys.console.resyncs;

import io.quarkus.qute.TemplateData;
import io.smallrye.mutiny.Uni;
import io.statesys.core.report.ClientId;
import io.statesys.console.Page;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Gaps and resyncs for the console, and the bulk "force a resync" over a filtered set of this site's clients. */
@ApplicationScoped
public class ResyncStore {
    static final String COUNTS = """
            SELECT count(*) AS outstanding, count(*) FILTER (WHERE reissue_count > 0) AS reissued,
                   coalesce(extract(epoch FROM now() - min(first_issued_at)), 0)::bigint AS oldest,
                   (SELECT count(*) FROM resync_check_run WHERE capped AND checked_at > now() - interval '1 day') AS cap_hits,
                   (SELECT count(DISTINCT client_id) FROM missing_range) AS gapped_clients,
                   now() AS as_of
            FROM resync_request WHERE completed_at IS NULL""";

    static final String OUTSTANDING = """
            SELECT site_code, id, client_id, issued_at, first_issued_at, reissue_count, reason FROM resync_request
            WHERE completed_at IS NULL ORDER BY first_issued_at, id LIMIT 100""";

    static final String MOST_MISSING = """
            SELECT client_id, site_code, sum(last_serial - first_serial + 1) AS missing, count(*) AS ranges, min(detected_at) AS oldest
            FROM missing_range GROUP BY client_id, site_code ORDER BY missing DESC, client_id LIMIT 20""";

    static final String CHECK_RUNS = "SELECT checked_at, issued, reissued, capped FROM resync_check_run ORDER BY checked_at DESC LIMIT 50";

    /** The bulk filters: this site's clients in one state of one topic, or with a gap older than some hours. */
    static final String IN_STATE = """
            SELECT client_id FROM topic_state WHERE topic_type = $1 AND topic_id = $2 AND state_id = $3 AND site_code = own_site()""";
    static final String GAPPED = """
            SELECT DISTINCT client_id FROM missing_range
            WHERE site_code = own_site() AND detected_at <= now() - make_interval(hours => $1)""";

    static final String COUNT = "SELECT count(*) AS n FROM (%s) c";
    static final String FORCE = """
            WITH targets AS (SELECT client_id FROM (%s) c ORDER BY client_id LIMIT $%d)
            SELECT count(*) AS n FROM targets CROSS JOIN LATERAL force_resync(targets.client_id, 'forced') f""";

    @TemplateData
    public record Counts(long outstanding, long reissued, long oldestAgeSeconds, long capHitsLastDay, long gappedClients, String asOf) {
    }

    @TemplateData
    public record Request(String siteCode, long requestId, String clientId, String issuedAt, String firstIssuedAt, int reissueCount,
                          String reason) {
    }

    @TemplateData
    public record Gapped(String clientId, String siteCode, long missing, long ranges, String oldest) {
    }

    @TemplateData
    public record CheckRun(String checkedAt, int issued, int reissued, boolean capped) {
    }

    /** A bulk filter as the form gave it: one of the two kinds. */
    @TemplateData
    public record Filter(String kind, Integer topicType, String topicId, Integer stateId, Integer gapHours) {
        public String describe() {
            return "state".equals(kind) ? "clients in state " + stateId + " of topic " + topicType + " / " + topicId
                    : "clients with a gap older than " + gapHours + " h";
        }

        String sql() {
            return "state".equals(kind) ? IN_STATE : GAPPED;
        }

        Tuple params() {
            return "state".equals(kind) ? Tuple.of(topicType, topicId, stateId) : Tuple.of(gapHours);
        }

        public boolean valid() {
            return "state".equals(kind) ? topicType != null && topicId != null && !topicId.isBlank() && stateId != null
                    : "gap".equals(kind) && gapHours != null && gapHours >= 0;
        }
    }

    private final Pool pool;

    public ResyncStore(Pool pool) {
        this.pool = pool;
    }

    public Uni<Counts> counts() {
        return pool.query(COUNTS).execute().map(rows -> {
            Row r = rows.iterator().next();
            return new Counts(r.getLong("outstanding"), r.getLong("reissued"), r.getLong("oldest"), r.getLong("cap_hits"),
                    r.getLong("gapped_clients"), Page.time(r.getOffsetDateTime("as_of")));
        });
    }

    public Uni<List<Request>> outstanding() {
        return list(OUTSTANDING, r -> new Request(r.getString("site_code"), r.getLong("id"), ClientId.format(r.getUUID("client_id")),
                Page.time(r.getOffsetDateTime("issued_at")), Page.time(r.getOffsetDateTime("first_issued_at")), r.getInteger("reissue_count"),
                r.getString("reason")));
    }

    public Uni<List<Gapped>> mostMissing() {
        return list(MOST_MISSING, r -> new Gapped(ClientId.format(r.getUUID("client_id")), r.getString("site_code"), r.getLong("missing"),
                r.getLong("ranges"), Page.time(r.getOffsetDateTime("oldest"))));
    }

    public Uni<List<CheckRun>> checkRuns() {
        return list(CHECK_RUNS, r -> new CheckRun(Page.time(r.getOffsetDateTime("checked_at")), r.getInteger("issued"),
                r.getInteger("reissued"), r.getBoolean("capped")));
    }

    public Uni<Long> count(Filter f) {
        return pool.preparedQuery(COUNT.formatted(f.sql())).execute(f.params()).map(rows -> rows.iterator().next().getLong("n"));
    }

    /** Forces a resync for at most {@code max} of the filter's clients (re-issuing outstanding ones), in the caller's transaction. */
    public Uni<Long> force(SqlClient db, Filter f, int max) {
        Tuple t = f.params();
        t.addInteger(max);
        return db.preparedQuery(FORCE.formatted(f.sql(), t.size())).execute(t).map(rows -> rows.iterator().next().getLong("n"));
    }

    private <T> Uni<List<T>> list(String sql, Function<Row, T> map) {
        return pool.query(sql).execute().map(rows -> {
            List<T> out = new ArrayList<>();
            for (Row r : rows) {
                out.add(map.apply(r));
            }
            return out;
        });
    }
}
