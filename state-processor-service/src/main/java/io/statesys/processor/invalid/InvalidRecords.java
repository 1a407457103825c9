package io.statesys.processor.invalid;

import io.smallrye.mutiny.Uni;
import io.statesys.core.inbox.InboxChannel;
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
 * both waiting and set aside, nor neither; it keeps its original arrival time. The loader's account
 * stays exact: what is re-queued leaves the {@code invalid} total (a counter row of its own) and is
 * counted again when it loads, as processed, duplicates or — failing again — invalid. The loaders
 * are woken at the commit, as the relay wakes them.
 */
@ApplicationScoped
public class InvalidRecords {
    static final String NEWEST = """
            SELECT id, inbox_id, client_id, received_at, failed_at, attempts, message_count, reason
            FROM invalid_record ORDER BY id DESC LIMIT $1""";

    /** Takes one record, or the oldest {@code $2} whose reason contains {@code $1} (any reason when null). */
    static final String TAKE_ONE = """
            DELETE FROM invalid_record WHERE id = $1
            RETURNING id, client_id, received_at, message_count, payload""";

    static final String TAKE_MATCHING = """
            WITH taken AS (
                SELECT id FROM invalid_record
                WHERE payload IS NOT NULL AND client_id IS NOT NULL AND message_count > 0
                  AND ($1::text IS NULL OR strpos(reason, $1) > 0)
                ORDER BY id LIMIT $2
                FOR UPDATE SKIP LOCKED)
            DELETE FROM invalid_record r USING taken WHERE r.id = taken.id
            RETURNING r.id, r.client_id, r.received_at, r.message_count, r.payload""";

    /** The taken records as inbox rows again: one statement, one NOTIFY to the loaders. */
    static final String INTO_INBOX = """
            INSERT INTO inbox (client_id, source, received_at, message_count, payload)
            SELECT * FROM unnest($1::uuid[], $2::text[], $3::timestamptz[], $4::int[], $5::bytea[])""";

    static final String UNCOUNT_INVALID = """
            INSERT INTO loader_counter AS k (shard, invalid, updated_at) VALUES ('requeued', -$1::bigint, now())
            ON CONFLICT (shard) DO UPDATE SET invalid = k.invalid + excluded.invalid, updated_at = now()""";

    /** Whoever fills the inbox wakes the loaders (there is no trigger: V3); delivered at commit. */
    static final String WAKE_LOADERS = "NOTIFY " + InboxChannel.NAME;

    static final String SOURCE = "requeued";

    public record Entry(long id, Long inboxId, String clientId, Instant receivedAt, Instant failedAt, int attempts,
                        int messages, String reason) {
    }

    /** What a re-queue did: the records taken, the messages they held, and any that could not go back. */
    public record Requeued(int records, long messages, List<Long> notRequeued) {
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
                        instant(r, "received_at"), instant(r, "failed_at"), r.getInteger("attempts"),
                        r.getInteger("message_count"), r.getString("reason")));
            }
            return out;
        });
    }

    /**
     * Re-queues one record. Empty when there is none with that id; a record without a report to load
     * (no payload, client or messages — a row written by hand or by an old version) stays where it is
     * and is named in {@link Requeued#notRequeued()}.
     */
    public Uni<Optional<Requeued>> requeue(long id) {
        return pool.withTransaction(conn -> conn.preparedQuery(TAKE_ONE).execute(Tuple.of(id)).chain(rows -> {
            if (rows.size() == 0) {
                return Uni.createFrom().item(Optional.<Requeued>empty());
            }
            Row r = rows.iterator().next();
            if (!loadable(r)) {
                // the transaction rolls back: the record stays, named as not re-queued
                return Uni.createFrom().failure(new NotLoadable(id));
            }
            return intoInbox(conn, rows).map(Optional::of);
        })).onFailure(NotLoadable.class).recoverWithItem(e -> Optional.of(new Requeued(0, 0, List.of(((NotLoadable) e).id))));
    }

    /** Re-queues up to {@code limit} of the oldest records whose reason contains {@code reasonContains} (all when null). */
    public Uni<Requeued> requeueMatching(String reasonContains, int limit) {
        return pool.withTransaction(conn -> conn.preparedQuery(TAKE_MATCHING).execute(Tuple.of(reasonContains, limit))
                .chain(rows -> rows.size() == 0 ? Uni.createFrom().item(new Requeued(0, 0, List.of())) : intoInbox(conn, rows)));
    }

    private static Uni<Requeued> intoInbox(SqlConnection conn, RowSet<Row> rows) {
        int n = rows.size();
        Object[] clients = new java.util.UUID[n];
        String[] sources = new String[n];
        Object[] received = new java.time.OffsetDateTime[n];
        Integer[] counts = new Integer[n];
        io.vertx.core.buffer.Buffer[] payloads = new io.vertx.core.buffer.Buffer[n];
        long messages = 0;
        int i = 0;
        for (Row r : rows) {
            clients[i] = r.getUUID("client_id");
            sources[i] = SOURCE;
            received[i] = r.getOffsetDateTime("received_at") == null ? java.time.OffsetDateTime.now() : r.getOffsetDateTime("received_at");
            counts[i] = r.getInteger("message_count");
            payloads[i] = r.getBuffer("payload").getDelegate();
            messages += counts[i];
            i++;
        }
        long total = messages;
        return conn.preparedQuery(INTO_INBOX).execute(Tuple.of(clients, sources, received, counts, payloads))
                .chain(() -> conn.preparedQuery(UNCOUNT_INVALID).execute(Tuple.of(total)))
                .chain(() -> conn.query(WAKE_LOADERS).execute())
                .map(done -> new Requeued(n, total, List.of()));
    }

    private static boolean loadable(Row r) {
        return r.getUUID("client_id") != null && r.getBuffer("payload") != null && r.getInteger("message_count") > 0;
    }

    private static Instant instant(Row r, String column) {
        return r.getOffsetDateTime(column) == null ? null : r.getOffsetDateTime(column).toInstant();
    }

    private static final class NotLoadable extends RuntimeException {
        final long id;

        NotLoadable(long id) {
            super("invalid record " + id + " holds no report to load", null, false, false);
            this.id = id;
        }
    }
}
