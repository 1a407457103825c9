package io.statesys.processor.reports;

import io.smallrye.mutiny.Uni;
import io.statesys.core.report.ClientId;
import io.statesys.processor.common.ApiErrors;
import io.vertx.core.json.JsonArray;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** What the state system knows of one client (CONTRACT §4): latest state per topic, serial bookkeeping. */
@Path("/api/v1/clients/{clientId}")
@Produces(MediaType.APPLICATION_JSON)
public class ClientReportsResource {
    static final String STATES = """
            SELECT s.topic_type, s.topic_id, s.id_type, s.state_id, coalesce(n.state_name, 'Unknown') AS state_name,
                   s.criticality, s.message_time, s.serial_number, s.user_params
            FROM topic_state s
            LEFT JOIN state_name n ON n.topic_type = s.topic_type AND n.state_id = s.state_id
            WHERE s.client_id = $1
            ORDER BY s.topic_type, s.topic_id""";

    static final String STATS = """
            SELECT lowest_serial, highest_serial, messages, duplicates,
                   last_resync_issued_time, last_resync_client_completed_time
            FROM client_message_stats WHERE client_id = $1 AND highest_serial >= 0""";

    static final String RANGES = """
            SELECT first_serial, last_serial, detected_at FROM missing_range
            WHERE client_id = $1 ORDER BY first_serial""";

    private final Pool pool;

    public ClientReportsResource(Pool pool) {
        this.pool = pool;
    }

    public record TopicState(int topicType, String topicId, int idType, int stateId, String stateName, int criticality,
                             Instant messageTime, long serialNumber, List<String> userParameters) {
    }

    public record Missing(long first, long last, Instant detectedAt) {
    }

    public record Serials(String clientId, long lowestSerial, long highestSerial, long messages, long duplicates,
                          List<Missing> missing, Instant lastResyncIssuedTime, Instant lastResyncClientCompletedTime) {
    }

    @GET
    @Path("/states")
    public Uni<List<TopicState>> states(@PathParam("clientId") String clientId) {
        UUID client = ApiErrors.clientId(clientId);
        return pool.preparedQuery(STATES).execute(Tuple.of(client)).map(rows -> {
            if (rows.size() == 0) {
                throw ApiErrors.notFound("unknown_client", "no state known for " + ClientId.format(client));
            }
            List<TopicState> out = new ArrayList<>(rows.size());
            for (Row r : rows) {
                out.add(new TopicState(r.getInteger("topic_type"), r.getString("topic_id"), r.getInteger("id_type"),
                        r.getInteger("state_id"), r.getString("state_name"), r.getInteger("criticality"),
                        r.getOffsetDateTime("message_time").toInstant(), r.getLong("serial_number"),
                        params(r.getValue("user_params"))));
            }
            return out;
        });
    }

    @GET
    @Path("/serials")
    public Uni<Serials> serials(@PathParam("clientId") String clientId) {
        UUID client = ApiErrors.clientId(clientId);
        Uni<List<Missing>> ranges = pool.preparedQuery(RANGES).execute(Tuple.of(client)).map(rows -> {
            List<Missing> out = new ArrayList<>();
            for (Row r : rows) {
                out.add(new Missing(r.getLong("first_serial"), r.getLong("last_serial"), r.getOffsetDateTime("detected_at").toInstant()));
            }
            return out;
        });
        return pool.preparedQuery(STATS).execute(Tuple.of(client)).chain(rows -> {
            if (rows.size() == 0) {
                throw ApiErrors.notFound("unknown_client", "no message received from " + ClientId.format(client));
            }
            Row s = rows.iterator().next();
            return ranges.map(missing -> new Serials(ClientId.format(client), s.getLong("lowest_serial"),
                    s.getLong("highest_serial"), s.getLong("messages"), s.getLong("duplicates"), missing,
                    instant(s.getOffsetDateTime("last_resync_issued_time")),
                    instant(s.getOffsetDateTime("last_resync_client_completed_time"))));
        });
    }

    static Instant instant(OffsetDateTime t) {
        return t == null ? null : t.toInstant();
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
