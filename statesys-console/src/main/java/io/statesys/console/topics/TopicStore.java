package io.statesys.console.topics;

import io.quarkus.qute.TemplateData;
import io.smallrye.mutiny.Uni;
import io.statesys.core.report.ClientId;
import io.statesys.console.Page;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Topics as the latest states know them: which topics exist, clients per state of one, the clients
 * in one state (paged, sorted), and who has no state for it. Every statement reads the
 * (topic_type, topic_id, state_id) index, so a view costs what one topic holds, not what the site holds.
 */
@ApplicationScoped
public class TopicStore {
    /** Distinct topics by skipping through the index (a loose index scan), from a starting key. */
    static final String TOPICS = """
            WITH RECURSIVE t AS (
                (SELECT topic_type, topic_id FROM topic_state WHERE (topic_type, topic_id) > ($1, $2)
                 ORDER BY topic_type, topic_id LIMIT 1)
                UNION ALL
                SELECT n.topic_type, n.topic_id FROM t CROSS JOIN LATERAL (
                    SELECT topic_type, topic_id FROM topic_state WHERE (topic_type, topic_id) > (t.topic_type, t.topic_id)
                    ORDER BY topic_type, topic_id LIMIT 1) n)
            SELECT topic_type, topic_id FROM t WHERE $3::int IS NULL OR topic_type = $3 LIMIT $4""";

    static final String SUMMARY = io.statesys.schema.TopicSummary.CLIENTS_PER_STATE;

    static final String IN_STATE = """
            SELECT t.client_id, t.site_code, t.message_time, t.serial_number, s.netbios_name, s.last_seen
            FROM topic_state t
            LEFT JOIN client_message_stats s ON s.client_id = t.client_id AND s.site_code = t.site_code
            WHERE t.topic_type = $1 AND t.topic_id = $2 AND t.state_id = $3
            ORDER BY %s LIMIT $4 OFFSET $5""";

    /** The sort orders a page may ask for; anything else is the first. */
    static final Map<String, String> SORTS = Map.of(
            "client", "t.client_id",
            "newest", "t.message_time DESC, t.client_id",
            "oldest", "t.message_time, t.client_id",
            "name", "s.netbios_name NULLS LAST, t.client_id");

    /**
     * The breakdown from the silence snapshot (V29, retaken every {@code statesys.console.silence-interval}): the site's clients,
     * those silent for $3 days or more (a sum over the snapshot's days) and the topic's silent ones (a sum over a few dozen rows);
     * beside them the topic's clients now,
     * counted through the topic index (index-only). No row before the first snapshot.
     */
    static final String FROM_SILENCE = """
            SELECT s.taken_at, s.clients, now() AS as_of,
                   (SELECT coalesce(sum(n.value::bigint), 0)::bigint FROM jsonb_each_text(s.seen_days) n WHERE n.key::int >= $3) AS silent,
                   (SELECT count(*) FROM topic_state t WHERE t.topic_type = $1 AND t.topic_id = $2) AS with_state,
                   (SELECT coalesce(sum(c.clients), 0)::bigint FROM console_topic_silence c
                    WHERE c.topic_type = $1 AND c.topic_id = $2 AND c.days >= $3) AS silent_with_state
            FROM console_silence s""";

    /** Until the first snapshot: the site's clients and those silent for $1 days, counted directly (reads every client). */
    static final String CLIENTS = """
            SELECT count(*) AS clients, count(*) FILTER (WHERE last_seen < now() - make_interval(days => $1)) AS stale, now() AS as_of
            FROM client_message_stats""";

    /** Until the first snapshot: the topic's clients and how many of them are silent for $3 days, joined to the statistics. */
    static final String WITH_STATE = """
            SELECT count(*) AS with_state, count(*) FILTER (WHERE s.last_seen < now() - make_interval(days => $3)) AS stale_with_state
            FROM topic_state t JOIN client_message_stats s ON s.client_id = t.client_id AND s.site_code = t.site_code
            WHERE t.topic_type = $1 AND t.topic_id = $2""";

    /** How many clients the examples are looked for among, so a topic nearly every client holds costs no more than one that few do. */
    static final int EXAMPLE_CANDIDATES = 10_000;

    /** A few clients of each kind, to look at, among the first $5 clients silent (or not) for $3 days. */
    static final String UNKNOWN_EXAMPLES = """
            SELECT s.client_id, s.site_code, s.netbios_name, s.last_seen
            FROM (SELECT client_id, site_code, netbios_name, last_seen FROM client_message_stats
                  WHERE (last_seen < now() - make_interval(days => $3)) = $4 LIMIT $5) s
            WHERE NOT EXISTS (SELECT 1 FROM topic_state t WHERE t.client_id = s.client_id AND t.site_code = s.site_code
                                                          AND t.topic_type = $1 AND t.topic_id = $2)
            LIMIT 20""";

    @TemplateData
    public record Topic(int topicType, String topicId) {
    }

    @TemplateData
    public record StateCount(int stateId, String stateName, long clients) {
    }

    @TemplateData
    public record ClientInState(String clientId, String siteCode, String netbiosName, String messageTime, Long serialNumber,
                                String lastSeen) {
    }

    /**
     * {@code asOf}: when the topic's clients were counted (now); {@code clientsAsOf}: when the site's clients and the silent ones
     * were (the silence snapshot, at most {@code statesys.console.silence-interval} old).
     */
    @TemplateData
    public record Unknown(long clients, long withState, long unknown, long neverReported, long notSeenForDays,
                          long otherTopicsOnly, String asOf, String clientsAsOf) {
    }

    @TemplateData
    public record Example(String clientId, String siteCode, String netbiosName, String lastSeen) {
    }

    private final Pool pool;

    public TopicStore(Pool pool) {
        this.pool = pool;
    }

    public Uni<List<Topic>> topics(Integer type, int afterType, String afterId, int limit) {
        return pool.preparedQuery(TOPICS).execute(Tuple.of(afterType, afterId, type, limit)).map(rows -> {
            List<Topic> out = new ArrayList<>();
            for (Row r : rows) {
                out.add(new Topic(r.getInteger("topic_type"), r.getString("topic_id")));
            }
            return out;
        });
    }

    public Uni<List<StateCount>> summary(int type, String id) {
        return pool.preparedQuery(SUMMARY).execute(Tuple.of(type, id)).map(rows -> {
            List<StateCount> out = new ArrayList<>();
            for (Row r : rows) {
                out.add(new StateCount(r.getInteger("state_id"), r.getString("state_name"), r.getLong("clients")));
            }
            return out;
        });
    }

    public Uni<List<ClientInState>> inState(int type, String id, int state, String sort, int limit, int offset) {
        String sql = IN_STATE.formatted(SORTS.getOrDefault(sort, SORTS.get("client")));
        return pool.preparedQuery(sql).execute(Tuple.of(type, id, state, limit, offset)).map(rows -> {
            List<ClientInState> out = new ArrayList<>();
            for (Row r : rows) {
                out.add(new ClientInState(ClientId.format(r.getUUID("client_id")), r.getString("site_code"), r.getString("netbios_name"),
                        Page.time(r.getOffsetDateTime("message_time")), r.getLong("serial_number"), Page.time(r.getOffsetDateTime("last_seen"))));
            }
            return out;
        });
    }

    /**
     * The breakdown. The site's clients and the silent ones come from the silence snapshot, those registered that never reported
     * from the latest sample ({@code neverAtLatest}; counting either reads every client), the topic's clients from the topic index,
     * now. Before the first snapshot, the site's clients are counted here, as of now.
     */
    public Uni<Unknown> unknown(int type, String id, int days, long neverAtLatest) {
        return pool.preparedQuery(FROM_SILENCE).execute(Tuple.of(type, id, days)).chain(rows -> {
            if (rows.size() > 0) {
                Row r = rows.iterator().next();
                return Uni.createFrom().item(breakdown(r.getLong("clients"), r.getLong("silent"),
                        neverAtLatest, r.getLong("with_state"), r.getLong("silent_with_state"),
                        Page.time(r.getOffsetDateTime("as_of")), Page.time(r.getOffsetDateTime("taken_at"))));
            }
            return Uni.combine().all().unis(pool.preparedQuery(CLIENTS).execute(Tuple.of(days)),
                    pool.preparedQuery(WITH_STATE).execute(Tuple.of(type, id, days))).asTuple().map(t -> {
                Row c = t.getItem1().iterator().next();
                Row k = t.getItem2().iterator().next();
                String asOf = Page.time(c.getOffsetDateTime("as_of"));
                return breakdown(c.getLong("clients"), c.getLong("stale"), neverAtLatest, k.getLong("with_state"),
                        k.getLong("stale_with_state"), asOf, asOf);
            });
        });
    }

    /**
     * The site's clients and silent ones are the snapshot's, the topic's clients are now's: a client that arrived, left or fell silent in
     * between must not make a count negative.
     */
    static Unknown breakdown(long clients, long silent, long never, long withState, long silentWithState, String asOf, String clientsAsOf) {
        long unknownReported = Math.max(0, clients - withState);
        long notSeen = Math.min(unknownReported, Math.max(0, silent - silentWithState));
        return new Unknown(unknownReported + withState + never, withState, unknownReported + never, never, notSeen,
                unknownReported - notSeen, asOf, clientsAsOf);
    }

    public Uni<List<Example>> unknownExamples(int type, String id, int days, boolean stale) {
        return pool.preparedQuery(UNKNOWN_EXAMPLES).execute(Tuple.of(type, id, days, stale, EXAMPLE_CANDIDATES)).map(rows -> {
            List<Example> out = new ArrayList<>();
            for (Row r : rows) {
                out.add(new Example(ClientId.format(r.getUUID("client_id")), r.getString("site_code"), r.getString("netbios_name"),
                        Page.time(r.getOffsetDateTime("last_seen"))));
            }
            return out;
        });
    }

}
