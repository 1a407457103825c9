package io.statesys.processor.retention;

import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Retention's statements: each removes at most one batch, oldest first, and says how much it
 * removed; the caller repeats until a batch comes back short.
 */
final class RetentionStore {
    /** One run at a time across processor replicas: a session lock, held by the run's connection. */
    static final String TRY_LOCK = "SELECT pg_try_advisory_lock(hashtext('statesys.retention')) AS locked";
    static final String UNLOCK = "SELECT pg_advisory_unlock(hashtext('statesys.retention'))";

    /**
     * Retires clients last heard from before $1: their statistics, latest states, missing ranges and
     * any outstanding resync request go in one statement, so a client is retired whole or not at
     * all. A client whose report the loader is loading holds its statistics row: it is skipped.
     * Only this site's clients: a descendant's rows are retired there and the deletes replicate up.
     */
    static final String RETIRE_CLIENTS = """
            WITH retired AS (
                DELETE FROM client_message_stats
                WHERE site_code = own_site()
                  AND client_id IN (SELECT client_id FROM client_message_stats
                                    WHERE last_seen < $1 AND site_code = own_site()
                                    ORDER BY last_seen LIMIT $2
                                    FOR UPDATE SKIP LOCKED)
                RETURNING client_id, highest_serial),
            floors AS (""" + io.statesys.schema.RetiredSerials.KEEP + """
            ),
            states AS (DELETE FROM topic_state WHERE site_code = own_site() AND client_id IN (SELECT client_id FROM retired) RETURNING 1),
            ranges AS (DELETE FROM missing_range WHERE site_code = own_site() AND client_id IN (SELECT client_id FROM retired) RETURNING 1),
            resyncs AS (DELETE FROM resync_request WHERE site_code = own_site() AND client_id IN (SELECT client_id FROM retired) RETURNING 1)
            SELECT (SELECT count(*) FROM retired) AS clients, (SELECT count(*) FROM states) AS states,
                   (SELECT count(*) FROM ranges) AS ranges, (SELECT count(*) FROM resyncs) AS resyncs""";

    static final String PRUNE_INVALID = """
            DELETE FROM invalid_record WHERE id IN (
                SELECT id FROM invalid_record WHERE failed_at < $1 ORDER BY id LIMIT $2)""";

    static final String PRUNE_DEAD_LETTERS = """
            DELETE FROM fsp_dead_letter WHERE id IN (
                SELECT id FROM fsp_dead_letter WHERE dead_at < $1 ORDER BY id LIMIT $2)""";

    static final String PRUNE_RESYNC_HISTORY = """
            DELETE FROM resync_request WHERE site_code = own_site() AND id IN (
                SELECT id FROM resync_request WHERE completed_at < $1 AND site_code = own_site() ORDER BY id LIMIT $2)""";

    /**
     * Resync orders (site hierarchy) are kept as long as resync history, here and at the sites they
     * came down to: their deletes are not published (the orders' publications carry inserts only).
     */
    static final String PRUNE_RESYNC_ORDERS = """
            DELETE FROM resync_order WHERE (ordered_by, id) IN (
                SELECT ordered_by, id FROM resync_order WHERE ordered_at < $1 ORDER BY ordered_at LIMIT $2)""";

    static final String PRUNE_BAD_REPORTS = """
            DELETE FROM bad_report WHERE id IN (
                SELECT id FROM bad_report WHERE received_at < $1 ORDER BY id LIMIT $2)""";

    /**
     * Registrations left pending since before $1 are forgotten (registration squatting: a pending
     * row holds a ClientID for whoever registered it). Each removal is noted for the relays' and
     * FSPs' key caches, as an admin's reset is (V21).
     */
    static final String EXPIRE_PENDING = """
            WITH gone AS (
                DELETE FROM client_identity WHERE client_id IN (
                    SELECT client_id FROM client_identity WHERE status = 'pending' AND registered_at < $1
                    ORDER BY registered_at LIMIT $2)
                RETURNING client_id)
            INSERT INTO client_identity_reset (client_id) SELECT client_id FROM gone""";

    /** Retired clients' serials past the time a replay could still be signed fresh. */
    static final String PRUNE_RETIRED_SERIALS = """
            DELETE FROM retired_serial WHERE (client_id, site_code) IN (
                SELECT client_id, site_code FROM retired_serial WHERE retired_at < $1 ORDER BY retired_at LIMIT $2)""";

    /** The audit: one row per run that removed anything. */
    static final String RECORD_RUN = """
            INSERT INTO retention_run (clients_retired, states_removed, ranges_removed, resyncs_removed,
                                       invalid_removed, dead_letters_removed, resync_history_removed, bad_reports_removed)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8)""";

    record Retired(long clients, long states, long ranges, long resyncs) {
    }

    private RetentionStore() {
    }

    static Retired retireClients(SqlConnection conn, Instant lastSeenBefore, int batch) {
        Row r = conn.preparedQuery(RETIRE_CLIENTS).execute(Tuple.of(utc(lastSeenBefore), batch))
                .await().atMost(Duration.ofMinutes(5)).iterator().next();
        return new Retired(r.getLong("clients"), r.getLong("states"), r.getLong("ranges"), r.getLong("resyncs"));
    }

    static long prune(SqlConnection conn, String statement, Instant before, int batch) {
        return conn.preparedQuery(statement).execute(Tuple.of(utc(before), batch)).await().atMost(Duration.ofMinutes(5)).rowCount();
    }

    static OffsetDateTime utc(Instant t) {
        return t.atOffset(ZoneOffset.UTC);
    }
}
