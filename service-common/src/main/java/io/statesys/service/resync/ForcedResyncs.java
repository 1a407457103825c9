package io.statesys.service.resync;

import io.smallrye.mutiny.Uni;
import io.statesys.core.report.ClientId;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.UUID;

/**
 * An operator forces a resync of one client (the original's "resync scripts"). For a client of this
 * site — or one never heard of — the outstanding request is re-issued now, or a new one is issued,
 * and the client's statistics show the issue time ({@code force_resync}, V11). For a client of a
 * descendant site (its statistics replicated up), an order goes down instead: the client's own site
 * acts on it when it arrives (docs/operating.md, "Site hierarchy"), and the request it issues replicates back up.
 */
@ApplicationScoped
public class ForcedResyncs {
    /** Where the client reported last; none when nothing of it reached this site. */
    static final String HOME = """
            SELECT site_code, site_code = own_site() AS own FROM client_message_stats
            WHERE client_id = $1 ORDER BY last_seen DESC LIMIT 1""";

    static final String FORCE_HERE = """
            SELECT site_code, id, client_id, issued_at, first_issued_at, reissue_count, reason
            FROM force_resync($1, 'forced')""";

    static final String ORDER_DOWN = """
            INSERT INTO resync_order (ordered_by, site_code, client_id) VALUES (own_site(), $2, $1)
            RETURNING id, ordered_by, site_code, ordered_at""";

    private final Pool pool;

    public ForcedResyncs(Pool pool) {
        this.pool = pool;
    }

    public Uni<IssuedResync> force(UUID client) {
        return pool.withTransaction(conn -> force(conn, client));
    }

    /** In the caller's transaction (the console audits the action in the same one). */
    public Uni<IssuedResync> force(SqlConnection conn, UUID client) {
        return conn.preparedQuery(HOME).execute(Tuple.of(client)).chain(home -> {
            Row h = home.size() == 0 ? null : home.iterator().next();
            if (h == null || h.getBoolean("own")) {
                return forceHere(conn, client);
            }
            return conn.preparedQuery(ORDER_DOWN).execute(Tuple.of(client, h.getString("site_code"))).map(rows -> {
                Row r = rows.iterator().next();
                return new IssuedResync(r.getString("site_code"), r.getLong("id"), ClientId.format(client),
                        r.getOffsetDateTime("ordered_at").toInstant(), r.getOffsetDateTime("ordered_at").toInstant(), 0,
                        "forced-at-" + r.getString("ordered_by"), true);
            });
        });
    }

    private static Uni<IssuedResync> forceHere(SqlConnection conn, UUID client) {
        return conn.preparedQuery(FORCE_HERE).execute(Tuple.of(client)).map(rows -> {
            Row r = rows.iterator().next();
            return new IssuedResync(r.getString("site_code"), r.getLong("id"), ClientId.format(client),
                    r.getOffsetDateTime("issued_at").toInstant(), r.getOffsetDateTime("first_issued_at").toInstant(),
                    r.getInteger("reissue_count"), r.getString("reason"), false);
        });
    }
}
