package io.statesys.processor.loader;

import io.statesys.service.database.Transactions;
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
 * Rows are written with the site's code (the columns' default, V11) and only this site's rows are
 * read or changed: at a parent, its descendants' rows arrive by replication and are read-only.
 */
final class LoaderStore {
    /** Reports with a priority above 0 first, highest first (a partial index holds only them). */
    static final String CLAIM_PRIORITY = """
            SELECT id, client_id, netbios_name, received_at, attempts, message_count, payload, unsigned, now() AS tx_now
            FROM inbox
            WHERE priority > 0 AND not_before <= now()
            ORDER BY priority DESC, id
            LIMIT $1
            FOR UPDATE SKIP LOCKED""";

    /** Then the rest in arrival order, after a starting point ({@link ClaimFloor}; 0 = from the beginning). */
    static final String CLAIM_NEXT = """
            SELECT id, client_id, netbios_name, received_at, attempts, message_count, payload, unsigned, now() AS tx_now
            FROM inbox
            WHERE priority = 0 AND not_before <= now() AND id > $2
            ORDER BY id
            LIMIT $1
            FOR UPDATE SKIP LOCKED""";

    static final String CLAIM_ONE = """
            SELECT id, client_id, netbios_name, received_at, attempts, message_count, payload, unsigned, now() AS tx_now
            FROM inbox
            WHERE id = $1
            FOR UPDATE SKIP LOCKED""";

    /**
     * A client new to this site starts with no serials — unless it was retired here within the last
     * $2 seconds (twice the signature window, V23): then everything up to its highest serial at
     * retirement counts as received, so a replayed report is all duplicates.
     */
    static final String ENSURE_STATS = """
            INSERT INTO client_message_stats (client_id, lowest_serial, highest_serial)
            SELECT c, CASE WHEN f.highest_serial IS NULL THEN -1 ELSE 0 END, coalesce(f.highest_serial, -1)
            FROM unnest($1::uuid[]) AS c
            LEFT JOIN retired_serial f ON f.client_id = c AND f.site_code = own_site()
                                      AND f.retired_at > now() - make_interval(secs => $2)
            ORDER BY c
            ON CONFLICT (client_id, site_code) DO NOTHING""";

    static final String LOCK_STATS = """
            SELECT client_id, lowest_serial, highest_serial, messages, duplicates
            FROM client_message_stats
            WHERE client_id = ANY($1::uuid[]) AND site_code = own_site()
            ORDER BY client_id
            FOR UPDATE""";

    static final String LOAD_RANGES = """
            SELECT client_id, first_serial, last_serial, detected_at
            FROM missing_range
            WHERE client_id = ANY($1::uuid[]) AND site_code = own_site()""";

    /**
     * A signed message supersedes an unsigned one (V19), whatever their times, and an unsigned one
     * never replaces a signed one; between two of the same kind, newest wins: the later MessageTime; at equal times a message with a serial beats one without
     * (serials are never negative, so -1 stands for "none"), then the higher serial; between two
     * serial-less messages of equal time the later arrival wins. {@code ChunkLoader.newer} is the same rule.
     */
    static final String NEWER_THAN_STORED = """
            excluded.unsigned < t.unsigned
            OR excluded.unsigned = t.unsigned AND (
                (excluded.message_time, coalesce(excluded.serial_number, -1)) > (t.message_time, coalesce(t.serial_number, -1))
                OR (excluded.message_time = t.message_time AND excluded.serial_number IS NULL AND t.serial_number IS NULL))""";

    /**
     * Keyed by (client, site, topic_key) — V14: a 64-bit hash of the topic, computed here. A stored
     * row with the same key but another topic is a collision, never an update: the statement fails
     * ({@code topic_key_collision} raises) and the report ends in invalid records with the reason.
     * <p>
     * Not a MERGE: PostgreSQL 15's MERGE writes no speculative-insert confirmation and no row lock,
     * but measured on this table (2,500-row chunks, the topic key computed in the statement) it was
     * ~25 % slower for new states and no faster for updates, and drains of 1,000,000 new, identical
     * and changed states came out within their run-to-run spread.
     * <p>
     * Not a lower fillfactor either: at 90 (V10) the first full resend after a fresh load rewrites most rows on other pages
     * (the page has room for few new versions), but the versions it leaves behind are pruned by the next one, and from the
     * second resend on 95-100 % of identical repeats are heap-only at 90 as at 50 — while 50 costs ~40 % more bytes per latest
     * state. Interleaved drains of 1,000,000 messages put the two within their spread. What a repeat costs is the row update
     * itself: this statement takes ~21 µs per identical row (2,560 rows in psql, two WAL records each), a bare heap-only
     * UPDATE of one column by key ~9 µs, the key probe alone ~3.5 µs.
     */
    static final String UPSERT_STATE = """
            INSERT INTO topic_state AS t (client_id, topic_type, topic_id, topic_key, id_type, state_id, criticality,
                                          message_time, serial_number, user_params, details_type, details_data, unsigned,
                                          updated_at)
            SELECT c, tt, ti, topic_key(tt, ti), it, si, cr, mt, sn, p::jsonb, dt, dd, us, now()
            FROM unnest($1::uuid[], $2::int[], $3::text[], $4::int[], $5::int[], $6::int[],
                        $7::timestamptz[], $8::bigint[], $9::text[], $10::int[], $11::text[], $12::bool[])
                 AS u(c, tt, ti, it, si, cr, mt, sn, p, dt, dd, us)
            ON CONFLICT (client_id, site_code, topic_key) DO UPDATE
            SET id_type = excluded.id_type, state_id = excluded.state_id, criticality = excluded.criticality,
                message_time = excluded.message_time, serial_number = excluded.serial_number,
                user_params = excluded.user_params, details_type = excluded.details_type,
                details_data = excluded.details_data, unsigned = excluded.unsigned, updated_at = excluded.updated_at
            WHERE CASE WHEN t.topic_type = excluded.topic_type AND t.topic_id = excluded.topic_id
                  THEN (%s)
                  ELSE topic_key_collision(t.client_id, t.topic_type, t.topic_id, excluded.topic_type, excluded.topic_id)
                  END""".formatted(NEWER_THAN_STORED);

    static final String UPDATE_STATS = """
            UPDATE client_message_stats s
            SET lowest_serial = u.lo, highest_serial = u.hi, messages = u.m, duplicates = u.d,
                netbios_name = coalesce(u.name, s.netbios_name),
                last_seen = CASE WHEN u.seen THEN now() ELSE s.last_seen END,
                last_resync_client_completed_time =
                    CASE WHEN u.resynced THEN now() ELSE s.last_resync_client_completed_time END,
                serial_less = s.serial_less + u.sl,
                client_version = coalesce(u.ver, s.client_version), client_installed = coalesce(u.inst, s.client_installed),
                client_type = coalesce(u.ctype, s.client_type), id_type = coalesce(u.idt, s.id_type),
                id_flag = coalesce(u.idf, s.id_flag)
            FROM unnest($1::uuid[], $2::bigint[], $3::bigint[], $4::bigint[], $5::bigint[], $6::text[], $7::bool[],
                        $8::bigint[], $9::text[], $10::int[], $11::int[], $12::int[], $13::int[], $14::bool[])
                 AS u(c, lo, hi, m, d, name, resynced, sl, ver, inst, ctype, idt, idf, seen)
            WHERE s.client_id = u.c AND s.site_code = own_site()""";

    static final String DELETE_RANGES = "DELETE FROM missing_range WHERE client_id = ANY($1::uuid[]) AND site_code = own_site()";

    static final String INSERT_RANGES = """
            INSERT INTO missing_range (client_id, first_serial, last_serial, detected_at)
            SELECT * FROM unnest($1::uuid[], $2::bigint[], $3::bigint[], $4::timestamptz[])""";

    static final String COMPLETE_RESYNCS = """
            UPDATE resync_request SET completed_at = now()
            WHERE client_id = ANY($1::uuid[]) AND site_code = own_site() AND completed_at IS NULL""";

    /** Of the given clients, those with an identity (a key registered): unsigned reports set none of their sender fields. */
    static final String REGISTERED = "SELECT client_id FROM client_identity WHERE client_id = ANY($1::uuid[])";

    static final String DELETE_INBOX = "DELETE FROM inbox WHERE id = ANY($1::bigint[])";

    /** One claimed report to invalid records, copied from its inbox row (which the chunk's delete removes). */
    static final String INSERT_INVALID = """
            INSERT INTO invalid_record (inbox_id, client_id, netbios_name, priority, source, received_at, attempts, message_count,
                                        reason, payload, unsigned)
            SELECT id, client_id, netbios_name, priority, source, received_at, attempts, message_count, $2, payload, unsigned
            FROM inbox WHERE id = $1""";

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
                RETURNING id, client_id, netbios_name, priority, source, received_at, attempts, message_count, payload, unsigned)
            INSERT INTO invalid_record (inbox_id, client_id, netbios_name, priority, source, received_at, attempts, message_count,
                                        reason, payload, unsigned)
            SELECT id, client_id, netbios_name, priority, source, received_at, attempts, message_count, $3, payload, unsigned FROM gone
            RETURNING message_count""";

    static final String MARK_FOR_RETRY = """
            UPDATE inbox
            SET attempts = attempts + 1,
                last_error = $2,
                not_before = now() + make_interval(secs => ($3::float8[])[attempts + 1])
            WHERE id = ANY($1::bigint[]) AND attempts < array_length($3::float8[], 1)""";

    static final Duration STATEMENT_WAIT = Duration.ofMinutes(2);

    private final Transactions tx;
    private final ClaimFloor floor;
    private final Duration retiredSerialsKept;

    LoaderStore(Transactions tx, Duration retiredSerialsKept) {
        this.tx = tx;
        this.floor = new ClaimFloor();
        this.retiredSerialsKept = retiredSerialsKept;
    }

    /** Up to {@code limit} reports: priority ones first, then arrival order. */
    List<Row> claimNext(SqlConnection conn, int limit) {
        List<Row> claimed = new java.util.ArrayList<>(limit);
        tx.run(conn, CLAIM_PRIORITY, Tuple.of(limit)).forEach(claimed::add);
        if (claimed.size() < limit) {
            long from = floor.from();
            int found = claimInOrder(conn, from, limit - claimed.size(), claimed);
            if (found == 0 && from > 0) {
                claimInOrder(conn, 0, limit - claimed.size(), claimed);
            }
        }
        return claimed;
    }

    /** Claims in id order after {@code from} into {@code into}; how many it claimed. */
    private int claimInOrder(SqlConnection conn, long from, int limit, List<Row> into) {
        int before = into.size();
        tx.run(conn, CLAIM_NEXT, Tuple.of(limit, from)).forEach(into::add);
        // ORDER BY id: the last row claimed is the highest
        floor.claimed(from, into.size() > before ? into.get(into.size() - 1).getLong("id") : -1);
        return into.size() - before;
    }

    List<Row> claimOne(SqlConnection conn, long inboxId) {
        List<Row> claimed = new java.util.ArrayList<>(1);
        tx.run(conn, CLAIM_ONE, Tuple.of(inboxId)).forEach(claimed::add);
        return claimed;
    }

    /** Makes sure every client has a statistics row, then locks them in client order and returns them. */
    RowSet<Row> lockStats(SqlConnection conn, UUID[] clients) {
        tx.run(conn, ENSURE_STATS, Tuple.of(clients, (double) retiredSerialsKept.toSeconds()));
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

    java.util.Set<UUID> registered(SqlConnection conn, UUID[] clients) {
        java.util.Set<UUID> out = new java.util.HashSet<>();
        for (Row r : tx.run(conn, REGISTERED, Tuple.of((Object) clients))) {
            out.add(r.getUUID("client_id"));
        }
        return out;
    }

    void deleteFromInbox(SqlConnection conn, List<Long> ids) {
        tx.run(conn, DELETE_INBOX, Tuple.of((Object) ids.toArray(new Long[0])));
    }

    void invalidate(SqlConnection conn, InboxRecord rec, String reason) {
        tx.run(conn, INSERT_INVALID, Tuple.of(rec.id(), reason));
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
