package io.statesys.processor.invalid;

import io.smallrye.mutiny.Uni;
import io.statesys.schema.InboxChannel;
import io.statesys.core.report.ClientId;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The reports the loader set aside (poison, or transient failures past the Retry Config delays),
 * and the operator's way back for them: re-queued into the inbox once the cause is fixed — a
 * processor version whose statements fit, a database that has room again — and loaded like any
 * report. The invalid record goes and the inbox row comes in one transaction, so a report is never
 * both waiting and set aside, nor neither; it keeps its original arrival time, and (since V17) the
 * client's name and the priority it came with. The loader's account
 * stays exact: what is re-queued leaves the {@code invalid} total (a counter row of its own) and is
 * counted again when it loads, as processed, duplicates or — failing again — invalid. The loaders
 * are woken at the commit, as the relay wakes them.
 */
@ApplicationScoped
public class InvalidRecords {
    static final String NEWEST = """
            SELECT id, inbox_id, client_id, netbios_name, priority, source, received_at, failed_at, attempts, message_count, reason
            FROM invalid_record ORDER BY id DESC LIMIT $1""";

    /** A record that holds a report to load; one without (a row written by hand, or by an old version) stays. */
    static final String LOADABLE = "payload IS NOT NULL AND client_id IS NOT NULL AND message_count > 0";

    /** The records {@code which} selects, moved into the inbox in one statement (as the loader moves them out). */
    private static String requeue(String which) {
        return """
                WITH taken AS (
                    DELETE FROM invalid_record WHERE %s
                    RETURNING client_id, netbios_name, priority, received_at, message_count, payload, unsigned)
                INSERT INTO inbox (client_id, netbios_name, priority, source, received_at, message_count, payload, unsigned)
                SELECT client_id, netbios_name, priority, 'requeued', coalesce(received_at, now()), message_count, payload, unsigned
                FROM taken
                RETURNING message_count""".formatted(which);
    }

    static final String REQUEUE_ONE = requeue("id = $1 AND " + LOADABLE);

    /** The oldest {@code $2} whose reason contains {@code $1} (any reason when null). */
    static final String REQUEUE_MATCHING = requeue("""
            id IN (SELECT id FROM invalid_record
                   WHERE %s AND ($1::text IS NULL OR strpos(reason, $1) > 0)
                   ORDER BY id LIMIT $2
                   FOR UPDATE SKIP LOCKED)""".formatted(LOADABLE));

    static final String EXISTS = "SELECT EXISTS (SELECT 1 FROM invalid_record WHERE id = $1)";

    static final String UNCOUNT_INVALID = """
            INSERT INTO loader_counter AS k (shard, invalid, updated_at) VALUES ('requeued', -$1::bigint, now())
            ON CONFLICT (shard) DO UPDATE SET invalid = k.invalid + excluded.invalid, updated_at = now()""";

    /** Whoever fills the inbox wakes the loaders (there is no trigger: V3); delivered at commit. */
    static final String WAKE_LOADERS = "NOTIFY " + InboxChannel.NAME;

    public record Entry(long id, Long inboxId, String clientId, String netbiosName, int priority, String source,
                        Instant receivedAt, Instant failedAt, int attempts, int messages, String reason) {
    }

    /** What a re-queue did: the records taken and the messages they held. */
    public record Requeued(int records, long messages) {
    }

    private final Pool pool;

    public InvalidRecords(Pool pool) {
        this.pool = pool;
    }

    public Uni<List<Entry>> newest(int limit) {
        return pool.preparedQuery(NEWEST).execute(Tuple.of(limit)).map(rows -> {
            List<Entry> out = new ArrayList<>();
            for (Row r : rows) {
                out.add(new Entry(r.getLong("id"), r.getLong("inbox_id"),
                        r.getUUID("client_id") == null ? null : ClientId.format(r.getUUID("client_id")),
                        r.getString("netbios_name"), r.getInteger("priority"), r.getString("source"),
                        instant(r, "received_at"), instant(r, "failed_at"), r.getInteger("attempts"),
                        r.getInteger("message_count"), r.getString("reason")));
            }
            return out;
        });
    }

    /** Re-queues one record; empty when it was not taken (no such record, or none to load: {@link #exists}). */
    public Uni<Optional<Requeued>> requeue(long id) {
        return pool.withTransaction(conn -> conn.preparedQuery(REQUEUE_ONE).execute(Tuple.of(id)).chain(rows -> counted(conn, rows)))
                .map(r -> r.records() == 0 ? Optional.empty() : Optional.of(r));
    }

    public Uni<Boolean> exists(long id) {
        return pool.preparedQuery(EXISTS).execute(Tuple.of(id)).map(rows -> rows.iterator().next().getBoolean(0));
    }

    /** Re-queues up to {@code limit} of the oldest records whose reason contains {@code reasonContains} (all when null). */
    public Uni<Requeued> requeueMatching(String reasonContains, int limit) {
        return pool.withTransaction(conn -> conn.preparedQuery(REQUEUE_MATCHING).execute(Tuple.of(reasonContains, limit))
                .chain(rows -> counted(conn, rows)));
    }

    /** In the re-queue's transaction: the {@code invalid} total given back, and the loaders woken at the commit. */
    private static Uni<Requeued> counted(SqlConnection conn, RowSet<Row> rows) {
        long messages = 0;
        for (Row r : rows) {
            messages += r.getInteger("message_count");
        }
        Requeued done = new Requeued(rows.size(), messages);
        if (done.records() == 0) {
            return Uni.createFrom().item(done);
        }
        return conn.preparedQuery(UNCOUNT_INVALID).execute(Tuple.of(done.messages()))
                .chain(() -> conn.query(WAKE_LOADERS).execute())
                .replaceWith(done);
    }

    private static Instant instant(Row r, String column) {
        return r.getOffsetDateTime(column) == null ? null : r.getOffsetDateTime(column).toInstant();
    }
}
