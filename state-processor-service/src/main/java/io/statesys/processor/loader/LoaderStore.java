package io.statesys.processor.loader;

import io.statesys.service.database.Transactions;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * The loader's SQL: named set-based statements, each run on the caller's connection (and so in
 * the caller's transaction). Whatever the chunk's size, a chunk costs the same few statements.
 */
final class LoaderStore {
    static final String CLAIM_NEXT = """
            SELECT id, client_id, netbios_name, received_at, attempts, message_count, payload, now() AS tx_now
            FROM inbox
            WHERE not_before <= now()
            ORDER BY id
            LIMIT $1
            FOR UPDATE SKIP LOCKED""";

    static final String CLAIM_ONE = """
            SELECT id, client_id, netbios_name, received_at, attempts, message_count, payload, now() AS tx_now
            FROM inbox
            WHERE id = $1
            FOR UPDATE SKIP LOCKED""";

    static final String ENSURE_STATS = """
            INSERT INTO client_message_stats (client_id, lowest_serial, highest_serial)
            SELECT c, -1, -1 FROM unnest($1::uuid[]) AS c ORDER BY c
            ON CONFLICT (client_id) DO NOTHING""";

    static final String LOCK_STATS = """
            SELECT client_id, lowest_serial, highest_serial, messages, duplicates
            FROM client_message_stats
            WHERE client_id = ANY($1::uuid[])
            ORDER BY client_id
            FOR UPDATE""";

    static final String LOAD_RANGES = """
            SELECT client_id, first_serial, last_serial, detected_at
            FROM missing_range
            WHERE client_id = ANY($1::uuid[])""";

    static final String UPSERT_STATE = """
            INSERT INTO topic_state AS t (client_id, topic_type, topic_id, id_type, state_id, criticality,
                                          message_time, serial_number, user_params, updated_at)
            SELECT c, tt, ti, it, si, cr, mt, sn, p::jsonb, now()
            FROM unnest($1::uuid[], $2::int[], $3::text[], $4::int[], $5::int[], $6::int[],
                        $7::timestamptz[], $8::bigint[], $9::text[]) AS u(c, tt, ti, it, si, cr, mt, sn, p)
            ON CONFLICT (client_id, topic_type, topic_id) DO UPDATE
            SET id_type = excluded.id_type, state_id = excluded.state_id, criticality = excluded.criticality,
                message_time = excluded.message_time, serial_number = excluded.serial_number,
                user_params = excluded.user_params, updated_at = excluded.updated_at
            WHERE (excluded.message_time, excluded.serial_number) > (t.message_time, t.serial_number)""";

    static final String UPDATE_STATS = """
            UPDATE client_message_stats s
            SET lowest_serial = u.lo, highest_serial = u.hi, messages = u.m, duplicates = u.d,
                netbios_name = coalesce(u.name, s.netbios_name), last_seen = now(),
                last_resync_client_completed_time =
                    CASE WHEN u.resynced THEN now() ELSE s.last_resync_client_completed_time END
            FROM unnest($1::uuid[], $2::bigint[], $3::bigint[], $4::bigint[], $5::bigint[], $6::text[], $7::bool[])
                 AS u(c, lo, hi, m, d, name, resynced)
            WHERE s.client_id = u.c""";

    static final String DELETE_RANGES = "DELETE FROM missing_range WHERE client_id = ANY($1::uuid[])";

    static final String INSERT_RANGES = """
            INSERT INTO missing_range (client_id, first_serial, last_serial, detected_at)
            SELECT * FROM unnest($1::uuid[], $2::bigint[], $3::bigint[], $4::timestamptz[])""";

    static final String COMPLETE_RESYNCS = """
            UPDATE resync_request SET completed_at = now()
            WHERE client_id = ANY($1::uuid[]) AND completed_at IS NULL""";

    static final String DELETE_INBOX = "DELETE FROM inbox WHERE id = ANY($1::bigint[])";

    static final String INSERT_INVALID = """
            INSERT INTO invalid_record (inbox_id, client_id, received_at, attempts, message_count, reason, payload)
            VALUES ($1, $2, $3, $4, $5, $6, $7)""";

    static final String ADD_COUNTERS = """
            INSERT INTO loader_counter AS k (shard, reports, processed, invalid, duplicates, updated_at)
            VALUES ($1, $2, $3, $4, $5, now())
            ON CONFLICT (shard) DO UPDATE
            SET reports = k.reports + excluded.reports, processed = k.processed + excluded.processed,
                invalid = k.invalid + excluded.invalid, duplicates = k.duplicates + excluded.duplicates,
                updated_at = now()""";

    static final String MOVE_TO_INVALID = """
            WITH gone AS (
                DELETE FROM inbox WHERE id = ANY($1::bigint[]) AND attempts >= $2
                RETURNING id, client_id, received_at, attempts, message_count, payload)
            INSERT INTO invalid_record (inbox_id, client_id, received_at, attempts, message_count, reason, payload)
            SELECT id, client_id, received_at, attempts, message_count, $3, payload FROM gone
            RETURNING message_count""";

    static final String MARK_FOR_RETRY = """
            UPDATE inbox
            SET attempts = attempts + 1,
                last_error = $2,
                not_before = now() + make_interval(secs => ($3::float8[])[attempts + 1])
            WHERE id = ANY($1::bigint[]) AND attempts < array_length($3::float8[], 1)""";

    static final Duration STATEMENT_WAIT = Duration.ofMinutes(2);

    private final Transactions tx;

    LoaderStore(Transactions tx) {
        this.tx = tx;
    }

    RowSet<Row> claimNext(SqlConnection conn, int limit) {
        return tx.run(conn, CLAIM_NEXT, Tuple.of(limit));
    }

    RowSet<Row> claimOne(SqlConnection conn, long inboxId) {
        return tx.run(conn, CLAIM_ONE, Tuple.of(inboxId));
    }

    /** Makes sure every client has a statistics row, then locks them in client order and returns them. */
    RowSet<Row> lockStats(SqlConnection conn, UUID[] clients) {
        tx.run(conn, ENSURE_STATS, Tuple.of((Object) clients));
        return tx.run(conn, LOCK_STATS, Tuple.of((Object) clients));
    }

    RowSet<Row> missingRanges(SqlConnection conn, UUID[] clients) {
        return tx.run(conn, LOAD_RANGES, Tuple.of((Object) clients));
    }

    void upsertStates(SqlConnection conn, StateRows rows) {
        if (!rows.isEmpty()) {
            tx.run(conn, UPSERT_STATE, rows.tuple());
        }
    }

    void updateStats(SqlConnection conn, StatsRows rows) {
        if (!rows.isEmpty()) {
            tx.run(conn, UPDATE_STATS, rows.tuple());
        }
    }

    /** Replaces the missing ranges of every client whose ranges changed. */
    void replaceRanges(SqlConnection conn, RangeRows rows) {
        if (rows.clients().length == 0) {
            return;
        }
        tx.run(conn, DELETE_RANGES, Tuple.of((Object) rows.clients()));
        if (!rows.isEmpty()) {
            tx.run(conn, INSERT_RANGES, rows.tuple());
        }
    }

    void completeResyncs(SqlConnection conn, List<UUID> clients) {
        if (!clients.isEmpty()) {
            tx.run(conn, COMPLETE_RESYNCS, Tuple.of((Object) clients.toArray(new UUID[0])));
        }
    }

    void deleteFromInbox(SqlConnection conn, List<Long> ids) {
        tx.run(conn, DELETE_INBOX, Tuple.of((Object) ids.toArray(new Long[0])));
    }

    void invalidate(SqlConnection conn, InboxRecord rec, String reason) {
        tx.run(conn, INSERT_INVALID, Tuple.tuple().addLong(rec.id()).addUUID(rec.clientId()).addOffsetDateTime(rec.receivedAt())
                .addInteger(rec.attempts()).addInteger(rec.messageCount()).addString(reason).addValue(Buffer.buffer(rec.payload())));
    }

    void addCounters(SqlConnection conn, String shard, long reports, long processed, long invalid, long duplicates) {
        tx.run(conn, ADD_COUNTERS, Tuple.of(shard, reports, processed, invalid, duplicates));
    }

    /** Moves the reports that have had {@code minAttempts} attempts to invalid records; returns their messages. */
    long moveToInvalid(SqlConnection conn, List<Long> ids, int minAttempts, String reason) {
        long messages = 0;
        for (Row r : tx.run(conn, MOVE_TO_INVALID, Tuple.of(ids.toArray(new Long[0]), minAttempts, reason))) {
            messages += r.getInteger("message_count");
        }
        return messages;
    }

    void markForRetry(SqlConnection conn, List<Long> ids, String error, Double[] delaySeconds) {
        tx.run(conn, MARK_FOR_RETRY, Tuple.of(ids.toArray(new Long[0]), error, delaySeconds));
    }
}
