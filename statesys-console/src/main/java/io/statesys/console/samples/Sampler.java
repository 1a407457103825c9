package io.statesys.console.samples;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.statesys.console.ConsoleConfig;
import io.statesys.schema.FspBacklog;
import io.statesys.schema.InboxDepth;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Samples the state system for the overview's charts and the views that would be too heavy to
 * compute per page view (activity, floods), into {@code console_sample}: in the database, so every
 * replica shows the same history. One replica samples at a time (advisory lock) and a sample taken
 * by another replica within half an interval counts, so N replicas do not take N samples.
 */
@ApplicationScoped
public class Sampler {
    private static final Logger LOG = Logger.getLogger(Sampler.class);

    static final String LOCK = "SELECT pg_try_advisory_xact_lock(x'53435350'::bigint) AS got"; // "SCSP"

    static final String RECENT = """
            SELECT EXISTS (SELECT 1 FROM console_sample WHERE sampled_at > now() - make_interval(secs => $1 / 2)) AS recent""";

    /**
     * Each client seen in the last two hours gets a mark of its message count; a mark older than an
     * hour moves to "previous" and a new one is taken, so every active client has a count from 30 to
     * 120 minutes ago to measure its last hour against.
     */
    static final String MARK = """
            INSERT INTO client_rate_mark AS m (client_id, site_code, marked_at, messages)
            SELECT client_id, site_code, now(), messages FROM client_message_stats
            WHERE last_seen > now() - interval '2 hours'
            ON CONFLICT (client_id, site_code) DO UPDATE
                SET prev_marked_at = m.marked_at, prev_messages = m.messages, marked_at = now(), messages = excluded.messages
                WHERE m.marked_at < now() - interval '1 hour'""";

    static final String UNMARK = "DELETE FROM client_rate_mark WHERE marked_at < now() - interval '3 hours'";

    /**
     * The top floods: clients seen in the last hour, ranked by their rate since the mark (at least
     * 30 minutes old) against their usual rate before it. Messages with no serial are not counted
     * (as the statistics do not count them).
     */
    static final String FLOODS = """
            SELECT coalesce(jsonb_agg(to_jsonb(f) ORDER BY f."perHour" DESC), '[]'::jsonb) AS floods FROM (
                SELECT 'GUID:' || upper(s.client_id::text) AS "clientId", s.site_code AS "siteCode", s.netbios_name AS "netbiosName",
                       s.messages - w.base AS "sinceMark",
                       round(((s.messages - w.base) / greatest(extract(epoch FROM now() - w.since) / 3600, 0.01))::numeric, 1)::float8 AS "perHour",
                       round((w.base / greatest(extract(epoch FROM w.since - s.first_seen) / 3600, 1))::numeric, 1)::float8 AS "usualPerHour",
                       round(extract(epoch FROM now() - w.since) / 60)::int AS "windowMinutes"
                FROM client_message_stats s
                JOIN client_rate_mark m ON m.client_id = s.client_id AND m.site_code = s.site_code
                CROSS JOIN LATERAL (SELECT CASE WHEN m.marked_at <= now() - interval '30 minutes' THEN m.marked_at ELSE m.prev_marked_at END AS since,
                                           CASE WHEN m.marked_at <= now() - interval '30 minutes' THEN m.messages ELSE m.prev_messages END AS base) w
                WHERE s.last_seen > now() - interval '1 hour' AND w.since IS NOT NULL AND s.messages > w.base
                ORDER BY (s.messages - w.base) / greatest(extract(epoch FROM now() - w.since), 1) DESC
                LIMIT 25) f""";

    static final String SAMPLE = """
            INSERT INTO console_sample (sampled_at, inbox_reports, inbox_messages, oldest_age_seconds, processed, received,
                                        fsp_queued, outstanding_resyncs, clients, active_24h, active_7d, stale_30d, never_reported, floods,
                                        never_examples, obsolete)
            SELECT now(), i.reports, i.messages, i.oldest, l.processed, l.processed + i.messages,
            """ + FspBacklog.QUEUED_MESSAGES + ",\n" + """
                   (SELECT count(*) FROM resync_request WHERE completed_at IS NULL),
                   a.clients, a.active_24h, a.active_7d, a.stale_30d,
                   (SELECT count(*) FROM client_identity i WHERE NOT EXISTS (SELECT 1 FROM client_message_stats s WHERE s.client_id = i.client_id)),
                   $1::jsonb,
                   (SELECT coalesce(jsonb_agg(e), '[]') FROM (
                        SELECT 'GUID:' || upper(i.client_id::text) AS "clientId", NULL AS "siteCode", i.netbios_name AS "netbiosName", NULL AS "lastSeen"
                        FROM client_identity i WHERE NOT EXISTS (SELECT 1 FROM client_message_stats s WHERE s.client_id = i.client_id)
                        ORDER BY i.registered_at LIMIT 20) e),
                   (SELECT coalesce(jsonb_agg(o), '[]') FROM (
                        SELECT 'GUID:' || upper(client_id::text) AS "clientId", site_code AS "siteCode", netbios_name AS "netbiosName",
                               to_char(last_seen AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS "lastSeen"
                        FROM client_message_stats WHERE last_seen < now() - interval '30 days' ORDER BY last_seen LIMIT 50) o)
            FROM (""" + InboxDepth.SELECT + ") i,\n" + """
                 (SELECT coalesce(sum(processed + invalid + duplicates), 0) AS processed FROM loader_counter) l,
                 (SELECT count(*) AS clients,
                         count(*) FILTER (WHERE last_seen > now() - interval '24 hours') AS active_24h,
                         count(*) FILTER (WHERE last_seen > now() - interval '7 days') AS active_7d,
                         count(*) FILTER (WHERE last_seen < now() - interval '30 days') AS stale_30d
                  FROM client_message_stats) a""";

    /** A client's whole days since last seen at this transaction's time, 0 to 3650 (3650 holds everything older). */
    static final String DAYS_SINCE_SEEN = "least(greatest(floor(extract(epoch FROM now() - s.last_seen) / 86400), 0), 3650)::int";

    /** Whether the silence snapshot is older than $1 seconds (or was never taken). */
    static final String SILENCE_DUE = """
            SELECT NOT EXISTS (SELECT 1 FROM console_silence WHERE taken_at > now() - make_interval(secs => $1)) AS due""";

    /**
     * The silence snapshot (V29), part one: per topic, its clients silent for a day or more by whole days since last seen — one
     * join of the silent clients' statistics with the latest states, grouped. A plain read so that PostgreSQL may run it in
     * parallel (a statement that writes may not): its cost grows with the latest states, ~13 s per 20,000,000 on two cores, once per
     * {@code statesys.console.silence-interval}.
     */
    static final String TOPIC_SILENCE = "SELECT t.topic_type, t.topic_id, " + DAYS_SINCE_SEEN + " AS days, count(*) AS clients\n" + """
            FROM client_message_stats s JOIN topic_state t ON t.client_id = s.client_id AND t.site_code = s.site_code
            WHERE s.last_seen <= now() - interval '1 day'
            GROUP BY 1, 2, 3""";

    static final String SILENCE_CLEAR = "DELETE FROM console_topic_silence";

    static final String SILENCE_KEEP = """
            INSERT INTO console_topic_silence (topic_type, topic_id, days, clients)
            SELECT * FROM unnest($1::int[], $2::text[], $3::int[], $4::bigint[])""";

    /** Part two: the site's clients by whole days since last seen, in the same transaction (so as of the same moment). */
    static final String SITE_SILENCE = """
            INSERT INTO console_silence (taken_at, clients, seen_days)
            SELECT now(), coalesce(sum(n), 0), coalesce(jsonb_object_agg(days, n), '{}')
            """ + "FROM (SELECT " + DAYS_SINCE_SEEN + " AS days, count(*) AS n FROM client_message_stats s GROUP BY 1) h\n" + """
            ON CONFLICT (one) DO UPDATE SET taken_at = excluded.taken_at, clients = excluded.clients, seen_days = excluded.seen_days""";

    static final String PRUNE = """
            WITH s AS (DELETE FROM console_sample WHERE sampled_at < now() - make_interval(secs => $1)),
                 r AS (DELETE FROM resync_check_run WHERE checked_at < now() - make_interval(secs => $1))
            SELECT 1""";

    private final Pool pool;
    private final ConsoleConfig config;
    private final Timer duration;

    public Sampler(Pool pool, ConsoleConfig config, MeterRegistry registry) {
        this.pool = pool;
        this.config = config;
        this.duration = Timer.builder("statesys.console.sample.duration")
                .description("Time of one console sample (activity, floods and rate marks read every client)").register(registry);
    }

    @Scheduled(every = "${statesys.console.sample-interval}", delayed = "2s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return sample().onFailure().recoverWithItem(e -> {
            LOG.warnf("console sample failed: %s", e.toString());
            return false;
        }).replaceWithVoid();
    }

    /** Takes a sample now unless another replica holds the lock or took one within half an interval. */
    public Uni<Boolean> sample() {
        return sample(config.sampleInterval().toMillis() / 1000.0, config.silenceInterval().toMillis() / 1000.0);
    }

    /** Takes a sample and the silence snapshot now, however recent the last ones (unless another replica is taking one). */
    public Uni<Boolean> takeNow() {
        return sample(0, 0);
    }

    private static Uni<Void> retakeSilence(io.vertx.mutiny.sqlclient.SqlConnection conn) {
        return conn.query(TOPIC_SILENCE).execute().chain(rows -> {
            int n = rows.size();
            Integer[] types = new Integer[n];
            String[] ids = new String[n];
            Integer[] days = new Integer[n];
            Long[] clients = new Long[n];
            int i = 0;
            for (io.vertx.mutiny.sqlclient.Row r : rows) {
                types[i] = r.getInteger(0);
                ids[i] = r.getString(1);
                days[i] = r.getInteger(2);
                clients[i++] = r.getLong(3);
            }
            return conn.query(SILENCE_CLEAR).execute()
                    .chain(() -> conn.preparedQuery(SILENCE_KEEP).execute(Tuple.of(types, ids, days, clients)))
                    .chain(() -> conn.query(SITE_SILENCE).execute())
                    .replaceWithVoid();
        });
    }

    private Uni<Boolean> sample(double interval, double silenceInterval) {
        long start = System.nanoTime();
        return pool.withTransaction(conn -> conn.query(LOCK).execute().chain(lock -> {
            if (!lock.iterator().next().getBoolean("got")) {
                return Uni.createFrom().item(false);
            }
            return conn.preparedQuery(RECENT).execute(Tuple.of(interval)).chain(recent -> {
                if (recent.iterator().next().getBoolean("recent")) {
                    return Uni.createFrom().item(false);
                }
                return conn.query(MARK).execute()
                        .chain(() -> conn.query(UNMARK).execute())
                        .chain(() -> conn.query(FLOODS).execute())
                        .chain(floods -> conn.preparedQuery(SAMPLE)
                                .execute(Tuple.of(floods.iterator().next().getJsonArray("floods"))))
                        .chain(() -> conn.preparedQuery(SILENCE_DUE).execute(Tuple.of(silenceInterval)))
                        .chain(due -> due.iterator().next().getBoolean("due") ? retakeSilence(conn)
                                : Uni.createFrom().voidItem())
                        .chain(() -> conn.preparedQuery(PRUNE).execute(Tuple.of((double) config.history().toSeconds())))
                        .map(done -> true);
            });
        })).invoke(took -> {
            if (took) {
                duration.record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
            }
        });
    }
}
