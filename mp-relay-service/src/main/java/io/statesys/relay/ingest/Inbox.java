package io.statesys.relay.ingest;

import io.smallrye.mutiny.Uni;
import io.statesys.core.inbox.InboxPayload;
import io.statesys.core.report.Report;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The state system inbox, seen from the relay: one accepted report becomes one row, committed by a
 * single statement that also tells whether the client has a resync request outstanding, so the hot
 * path is exactly one round trip to Postgres.
 */
@ApplicationScoped
public class Inbox {
    static final String STORE = """
            WITH stored AS (
                INSERT INTO inbox (client_id, netbios_name, source, message_count, payload, priority)
                VALUES ($1, $2, $3, $4, $5, $6)
                RETURNING id)
            SELECT stored.id,
                   EXISTS (SELECT 1 FROM resync_request r
                           WHERE r.client_id = $1 AND r.completed_at IS NULL) AS resync_requested
            FROM stored""";

    private final Pool pool;

    public Inbox(Pool pool) {
        this.pool = pool;
    }

    public Uni<Stored> store(Report report, String source) {
        Tuple row = Tuple.tuple()
                .addUUID(report.clientId())
                .addString(report.machine().netbiosName())
                .addString(source)
                .addInteger(report.messages().size())
                .addBuffer(io.vertx.mutiny.core.buffer.Buffer.newInstance(
                        Buffer.buffer(InboxPayload.encode(report.machine().sender(), report.messages()))))
                .addShort((short) report.priority());
        return pool.preparedQuery(STORE).execute(row).map(rows -> {
            Row r = rows.iterator().next();
            return new Stored(r.getLong("id"), r.getBoolean("resync_requested"));
        });
    }

    public record Stored(long reportId, boolean resyncRequested) {
    }
}
