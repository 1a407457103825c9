package io.statesys.resync.retire;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Optional;
import java.util.UUID;

/**
 * Retires one client of this site now — what retention does after {@code inactive-client-days}, for
 * an operator who moved the client to another site: its statistics, latest states, missing ranges and
 * resync requests go in one statement, the deletes replicate up, and the ancestors then show the client
 * once, at its new site. Recorded in {@code retention_run} like retention's own runs. Its highest
 * serial is kept for a while (V23), so a replayed report of it stays a duplicate.
 */
@ApplicationScoped
public class ClientRetirement {
    static final String RETIRE = """
            WITH retired AS (
                DELETE FROM client_message_stats WHERE client_id = $1 AND site_code = own_site() RETURNING client_id, highest_serial),
            floors AS (""" + io.statesys.schema.RetiredSerials.KEEP + """
            ),
            states AS (DELETE FROM topic_state WHERE client_id = $1 AND site_code = own_site() RETURNING 1),
            ranges AS (DELETE FROM missing_range WHERE client_id = $1 AND site_code = own_site() RETURNING 1),
            resyncs AS (DELETE FROM resync_request WHERE client_id = $1 AND site_code = own_site() RETURNING 1),
            counted AS (
                SELECT (SELECT count(*) FROM retired) AS clients, (SELECT count(*) FROM states) AS states,
                       (SELECT count(*) FROM ranges) AS ranges, (SELECT count(*) FROM resyncs) AS resyncs),
            recorded AS (
                INSERT INTO retention_run (clients_retired, states_removed, ranges_removed, resyncs_removed,
                                           invalid_removed, dead_letters_removed, resync_history_removed, bad_reports_removed)
                SELECT clients, states, ranges, resyncs, 0, 0, 0, 0 FROM counted WHERE clients > 0
                RETURNING 1)
            SELECT own_site() AS site_code, c.*, (SELECT count(*) FROM recorded) AS recorded FROM counted c""";

    private final Pool pool;

    public ClientRetirement(Pool pool) {
        this.pool = pool;
    }

    public record Retired(String siteCode, long statesRemoved, long rangesRemoved, long resyncsRemoved) {
    }

    /** Empty when the client has no statistics at this site (never reported here, or already retired). */
    public Uni<Optional<Retired>> retire(UUID client) {
        return pool.withTransaction(conn -> conn.preparedQuery(RETIRE).execute(Tuple.of(client))).map(rows -> {
            Row r = rows.iterator().next();
            if (r.getLong("clients") == 0) {
                return Optional.empty();
            }
            return Optional.of(new Retired(r.getString("site_code"), r.getLong("states"), r.getLong("ranges"), r.getLong("resyncs")));
        });
    }
}
