package io.statesys.processor.views;

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
import java.util.UUID;

import static io.statesys.service.http.Instants.instant;

/** What the state system knows of one client, read from latest state and serial bookkeeping. */
@ApplicationScoped
public class ClientViews {
    /**
     * The client's site: where it reported last. At a parent a client that moved between two
     * descendants has rows at both until the old site retires it; the views answer from the new one.
     */
    static final String HOME = "(SELECT h.site_code FROM client_message_stats h WHERE h.client_id = $1 ORDER BY h.last_seen DESC LIMIT 1)";

    static final String STATES = """
            SELECT s.site_code, s.topic_type, s.topic_id, s.id_type, s.state_id, coalesce(n.state_name, 'Unknown') AS state_name,
                   s.criticality, s.message_time, s.serial_number, s.user_params, s.details_type, s.details_data, s.unsigned
            FROM topic_state s
            LEFT JOIN state_name n ON n.topic_type = s.topic_type AND n.state_id = s.state_id
            WHERE s.client_id = $1 AND s.site_code = """ + HOME + """
            ORDER BY s.topic_type, s.topic_id""";

    static final String STATS = """
            SELECT s.site_code, s.lowest_serial, s.highest_serial, s.messages, s.duplicates, s.serial_less,
                   s.last_resync_issued_time, s.last_resync_client_completed_time,
                   coalesce(u.reports, 0) AS unverified_reports, u.last_reason AS unverified_reason
            FROM client_message_stats s LEFT JOIN unverified_client u ON u.client_id = s.client_id
            WHERE s.client_id = $1 AND (s.highest_serial >= 0 OR s.serial_less > 0)
            ORDER BY s.last_seen DESC LIMIT 1""";

    static final String CLIENT = """
            SELECT site_code, netbios_name, client_version, client_installed, client_type, id_type, id_flag,
                   first_seen, last_seen, messages + serial_less AS messages, serial_less
            FROM client_message_stats
            WHERE client_id = $1 AND (highest_serial >= 0 OR serial_less > 0)
            ORDER BY last_seen DESC LIMIT 1""";

    static final String RANGES = """
            SELECT first_serial, last_serial, detected_at FROM missing_range
            WHERE client_id = $1 AND site_code = """ + HOME + """
            ORDER BY first_serial""";

    private final Pool pool;

    public ClientViews(Pool pool) {
        this.pool = pool;
    }

    /**
     * {@code serialNumber} and {@code stateDetails} are null when the message carried none;
     * {@code unsigned}: the state came in a report nobody signed (the FSP's door for clients without a key).
     */
    public record TopicState(String siteCode, int topicType, String topicId, int idType, int stateId, String stateName, int criticality,
                             Instant messageTime, Long serialNumber, List<String> userParameters, Details stateDetails,
                             boolean unsigned) {
    }

    public record Details(int type, String data) {
    }

    /** How the sender described itself in its reports; {@code siteSystem} when it said {@code ClientInstalled 0}. */
    public record Sender(String clientVersion, Integer clientInstalled, Integer clientType, Integer idType, Integer idFlag,
                         boolean siteSystem) {
    }

    /** {@code messages} counts every message loaded, {@code messagesWithoutSerial} those among them without a serial. */
    public record Client(String siteCode, String netbiosName, Sender sender, Instant firstSeen, Instant lastSeen, long messages,
                         long messagesWithoutSerial) {
    }

    public record Missing(long first, long last, Instant detectedAt) {
    }

    /** {@code unverifiedReports}: reports taken in identity mode {@code report} that could not be verified. */
    public record SerialStats(String siteCode, Long lowestSerial, Long highestSerial, long messages, long duplicates, long serialLess,
                              Instant lastResyncIssuedTime, Instant lastResyncClientCompletedTime,
                              long unverifiedReports, String lastUnverifiedReason) {
    }

    /** Latest state per topic; empty when nothing is known of the client. */
    public Uni<List<TopicState>> states(UUID client) {
        return pool.preparedQuery(STATES).execute(Tuple.of(client)).map(rows -> {
            List<TopicState> out = new ArrayList<>(rows.size());
            for (Row r : rows) {
                out.add(new TopicState(r.getString("site_code"), r.getInteger("topic_type"), r.getString("topic_id"), r.getInteger("id_type"),
                        r.getInteger("state_id"), r.getString("state_name"), r.getInteger("criticality"),
                        r.getOffsetDateTime("message_time").toInstant(), r.getLong("serial_number"),
                        params(r.getValue("user_params")),
                        r.getInteger("details_type") == null ? null : new Details(r.getInteger("details_type"), r.getString("details_data")),
                        r.getBoolean("unsigned")));
            }
            return out;
        });
    }

    /** Serial statistics; empty when no message of the client was ever loaded. */
    public Uni<Optional<SerialStats>> stats(UUID client) {
        return pool.preparedQuery(STATS).execute(Tuple.of(client)).map(rows -> {
            if (rows.size() == 0) {
                return Optional.empty();
            }
            Row s = rows.iterator().next();
            boolean anySerial = s.getLong("highest_serial") >= 0;
            return Optional.of(new SerialStats(s.getString("site_code"), anySerial ? s.getLong("lowest_serial") : null,
                    anySerial ? s.getLong("highest_serial") : null, s.getLong("messages"),
                    s.getLong("duplicates"), s.getLong("serial_less"), instant(s.getOffsetDateTime("last_resync_issued_time")),
                    instant(s.getOffsetDateTime("last_resync_client_completed_time")),
                    s.getLong("unverified_reports"), s.getString("unverified_reason")));
        });
    }

    /** The client as a sender; empty when no message of it was ever loaded. */
    public Uni<Optional<Client>> client(UUID client) {
        return pool.preparedQuery(CLIENT).execute(Tuple.of(client)).map(rows -> {
            if (rows.size() == 0) {
                return Optional.empty();
            }
            Row r = rows.iterator().next();
            Integer installed = r.getInteger("client_installed");
            Sender sender = new Sender(r.getString("client_version"), installed, r.getInteger("client_type"),
                    r.getInteger("id_type"), r.getInteger("id_flag"), installed != null && installed == 0);
            return Optional.of(new Client(r.getString("site_code"), r.getString("netbios_name"), sender, instant(r.getOffsetDateTime("first_seen")),
                    instant(r.getOffsetDateTime("last_seen")), r.getLong("messages"), r.getLong("serial_less")));
        });
    }

    public Uni<List<Missing>> missingRanges(UUID client) {
        return pool.preparedQuery(RANGES).execute(Tuple.of(client)).map(rows -> {
            List<Missing> out = new ArrayList<>();
            for (Row r : rows) {
                out.add(new Missing(r.getLong("first_serial"), r.getLong("last_serial"), r.getOffsetDateTime("detected_at").toInstant()));
            }
            return out;
        });
    }

    private static List<String> params(Object value) {
        if (!(value instanceof JsonArray a)) {
            return List.of();
        }
        List<String> out = new ArrayList<>(a.size());
        for (int i = 0; i < a.size(); i++) {
            out.add(String.valueOf(a.getValue(i)));
        }
        return out;
    }
}
