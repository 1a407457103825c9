package io.statesys.console.clients;

import io.quarkus.qute.TemplateData;
import io.smallrye.mutiny.Uni;
import io.statesys.console.Page;
import io.statesys.core.report.ClientId;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/**
 * Everything the site knows of one client, for "why is this client Unknown?": each statement reads
 * by the client's key, so the page costs the same with ten clients or a million.
 */
@ApplicationScoped
public class ClientStore {
    /**
     * Clients by NetBIOS name prefix (case-insensitive); a GUID goes straight to its page. The prefix is a
     * byte-wise range, so the (lower(netbios_name) text_pattern_ops) index answers it whatever the prefix.
     */
    static final String SEARCH = """
            SELECT client_id, site_code, netbios_name, last_seen FROM client_message_stats
            WHERE lower(netbios_name) ~>=~ lower($1) AND lower(netbios_name) ~<~ (lower($1) || chr(1114111))
            ORDER BY lower(netbios_name) USING ~<~, client_id LIMIT 50""";

    static final String IDENTITY = """
            SELECT status, key_fingerprint, algorithm, registered_at, approved_at, blocked_at FROM client_identity WHERE client_id = $1""";

    static final String STATS = """
            SELECT site_code, netbios_name, lowest_serial, highest_serial, messages, duplicates, first_seen, last_seen,
                   last_resync_issued_time, last_resync_client_completed_time,
                   (SELECT coalesce(sum(last_serial - first_serial + 1), 0) FROM missing_range m
                    WHERE m.client_id = s.client_id AND m.site_code = s.site_code) AS missing
            FROM client_message_stats s WHERE client_id = $1 ORDER BY last_seen DESC""";

    static final String STATES = """
            SELECT t.site_code, t.topic_type, t.topic_id, t.state_id, coalesce(n.state_name, 'Unknown') AS state_name,
                   t.message_time, t.serial_number, t.updated_at, t.unsigned
            FROM topic_state t LEFT JOIN state_name n ON n.topic_type = t.topic_type AND n.state_id = t.state_id
            WHERE t.client_id = $1 ORDER BY t.topic_type, t.topic_id LIMIT 1000""";

    static final String MISSING = """
            SELECT site_code, first_serial, last_serial, detected_at FROM missing_range
            WHERE client_id = $1 ORDER BY first_serial LIMIT 200""";

    static final String RESYNCS = """
            SELECT site_code, id, issued_at, first_issued_at, reissue_count, reason, completed_at FROM resync_request
            WHERE client_id = $1 ORDER BY first_issued_at DESC LIMIT 50""";

    static final String REFUSED = """
            SELECT id, received_at, service, reason, detail, client_id IS NOT NULL AS verified FROM bad_report
            WHERE client_id = $1 OR claimed_client_id = $1 ORDER BY id DESC LIMIT 50""";

    static final String FSP = """
            SELECT (SELECT count(*) FROM fsp_queue WHERE client_id = $1) AS queued,
                   (SELECT min(received_at) FROM fsp_queue WHERE client_id = $1) AS oldest_queued,
                   (SELECT coalesce(sum(message_count), 0) FROM fsp_signed_report WHERE client_id = $1) AS signed_queued,
                   (SELECT count(*) FROM fsp_dead_letter WHERE client_id = $1) AS dead_letters,
                   (SELECT reports FROM unverified_client WHERE client_id = $1) AS unverified_reports,
                   (SELECT last_reason FROM unverified_client WHERE client_id = $1) AS unverified_reason""";

    @TemplateData
    public record Identity(String status, String keyFingerprint, String algorithm, String registeredAt, String approvedAt, String blockedAt) {
    }

    @TemplateData
    public record Stats(String siteCode, String netbiosName, Long lowestSerial, Long highestSerial, long messages, long duplicates,
                        long missingMessages, String firstSeen, String lastSeen, String lastResyncIssued, String lastResyncCompleted) {
    }

    /** {@code unsigned}: set by a report nobody signed (the FSP's door for clients without a key). */
    @TemplateData
    public record State(String siteCode, int topicType, String topicId, int stateId, String stateName, String messageTime,
                        Long serialNumber, String loadedAt, boolean unsigned) {
    }

    @TemplateData
    public record Range(String siteCode, long first, long last, String detectedAt) {
    }

    @TemplateData
    public record Resync(String siteCode, long requestId, String issuedAt, String firstIssuedAt, int reissueCount, String reason,
                         String completedAt) {
    }

    @TemplateData
    /** {@code verified}: the client's own signature verified; otherwise the body only claims to be from it. */
    public record Refused(long id, String receivedAt, String service, String reason, String detail, boolean verified) {
    }

    @TemplateData
    public record Fsp(long queuedMessages, String oldestQueued, long signedQueuedMessages, long deadLetters, Long unverifiedReports,
                      String unverifiedReason) {
    }

    @TemplateData
    public record Found(String clientId, String siteCode, String netbiosName, String lastSeen) {
    }

    private final Pool pool;

    public ClientStore(Pool pool) {
        this.pool = pool;
    }

    public Uni<List<Found>> search(String query) {
        return pool.preparedQuery(SEARCH).execute(Tuple.of(query)).map(rows -> {
            List<Found> out = new ArrayList<>();
            for (Row r : rows) {
                out.add(new Found(ClientId.format(r.getUUID("client_id")), r.getString("site_code"), r.getString("netbios_name"),
                        Page.time(r.getOffsetDateTime("last_seen"))));
            }
            return out;
        });
    }

    public Uni<Identity> identity(UUID client) {
        return pool.preparedQuery(IDENTITY).execute(Tuple.of(client)).map(rows -> rows.size() == 0 ? null : one(rows, r ->
                new Identity(r.getString("status"), r.getString("key_fingerprint"), r.getString("algorithm"),
                        Page.time(r.getOffsetDateTime("registered_at")), Page.time(r.getOffsetDateTime("approved_at")),
                        Page.time(r.getOffsetDateTime("blocked_at")))));
    }

    public Uni<List<Stats>> stats(UUID client) {
        return list(STATS, client, r -> new Stats(r.getString("site_code"), r.getString("netbios_name"), r.getLong("lowest_serial"),
                r.getLong("highest_serial"), r.getLong("messages"), r.getLong("duplicates"), r.getLong("missing"),
                Page.time(r.getOffsetDateTime("first_seen")), Page.time(r.getOffsetDateTime("last_seen")),
                Page.time(r.getOffsetDateTime("last_resync_issued_time")), Page.time(r.getOffsetDateTime("last_resync_client_completed_time"))));
    }

    public Uni<List<State>> states(UUID client) {
        return list(STATES, client, r -> new State(r.getString("site_code"), r.getInteger("topic_type"), r.getString("topic_id"),
                r.getInteger("state_id"), r.getString("state_name"), Page.time(r.getOffsetDateTime("message_time")),
                r.getLong("serial_number"), Page.time(r.getOffsetDateTime("updated_at")), r.getBoolean("unsigned")));
    }

    public Uni<List<Range>> missing(UUID client) {
        return list(MISSING, client, r -> new Range(r.getString("site_code"), r.getLong("first_serial"), r.getLong("last_serial"),
                Page.time(r.getOffsetDateTime("detected_at"))));
    }

    public Uni<List<Resync>> resyncs(UUID client) {
        return list(RESYNCS, client, r -> new Resync(r.getString("site_code"), r.getLong("id"), Page.time(r.getOffsetDateTime("issued_at")),
                Page.time(r.getOffsetDateTime("first_issued_at")), r.getInteger("reissue_count"), r.getString("reason"),
                Page.time(r.getOffsetDateTime("completed_at"))));
    }

    public Uni<List<Refused>> refused(UUID client) {
        return list(REFUSED, client, r -> new Refused(r.getLong("id"), Page.time(r.getOffsetDateTime("received_at")), r.getString("service"),
                r.getString("reason"), r.getString("detail"), Boolean.TRUE.equals(r.getBoolean("verified"))));
    }

    public Uni<Fsp> fsp(UUID client) {
        return pool.preparedQuery(FSP).execute(Tuple.of(client)).map(rows -> one(rows, r -> new Fsp(r.getLong("queued"),
                Page.time(r.getOffsetDateTime("oldest_queued")), r.getLong("signed_queued"), r.getLong("dead_letters"),
                r.getLong("unverified_reports"), r.getString("unverified_reason"))));
    }

    private <T> Uni<List<T>> list(String sql, UUID client, Function<Row, T> map) {
        return pool.preparedQuery(sql).execute(Tuple.of(client)).map(rows -> {
            List<T> out = new ArrayList<>();
            for (Row r : rows) {
                out.add(map.apply(r));
            }
            return out;
        });
    }

    private static <T> T one(RowSet<Row> rows, Function<Row, T> map) {
        return map.apply(rows.iterator().next());
    }
}
