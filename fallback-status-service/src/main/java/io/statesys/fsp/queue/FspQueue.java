package io.statesys.fsp.queue;

import io.smallrye.mutiny.Uni;
import io.statesys.core.inbox.InboxPayload;
import io.statesys.core.report.Report;
import io.statesys.core.report.StateMessage;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

/**
 * The fallback status point's durable queue: one row per message (so the throttle can release
 * exactly its budget), written for a whole report by one statement.
 */
@ApplicationScoped
public class FspQueue {
    static final String ENQUEUE = """
            INSERT INTO fsp_queue (client_id, netbios_name, client_version, serial_number, message)
            SELECT $1, $2, $3, s, m FROM unnest($4::bigint[], $5::bytea[]) AS u(s, m)""";

    static final String DEPTH = """
            SELECT count(*) AS messages,
                   coalesce(extract(epoch FROM now() - min(received_at)), 0)::bigint AS oldest
            FROM fsp_queue""";

    private final Pool pool;

    public FspQueue(Pool pool) {
        this.pool = pool;
    }

    public Uni<Integer> enqueue(Report report) {
        List<StateMessage> messages = report.messages();
        Long[] serials = new Long[messages.size()];
        Buffer[] payloads = new Buffer[messages.size()];
        for (int i = 0; i < messages.size(); i++) {
            serials[i] = messages.get(i).serialNumber();
            payloads[i] = Buffer.buffer(InboxPayload.encode(List.of(messages.get(i))));
        }
        Tuple t = Tuple.tuple().addUUID(report.clientId()).addString(report.machine().netbiosName())
                .addString(report.machine().clientVersion()).addValue(serials).addValue(payloads);
        return pool.preparedQuery(ENQUEUE).execute(t).map(r -> r.rowCount());
    }

    public Uni<Depth> depth() {
        return pool.query(DEPTH).execute().map(rows -> {
            Row r = rows.iterator().next();
            return new Depth(r.getLong("messages"), r.getLong("oldest"));
        });
    }

    public record Depth(long messages, long oldestAgeSeconds) {
    }
}
