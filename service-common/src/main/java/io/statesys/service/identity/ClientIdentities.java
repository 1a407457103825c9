package io.statesys.service.identity;

import io.smallrye.mutiny.Uni;
import io.statesys.service.identity.ClientIdentity.Status;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Optional;
import java.util.UUID;

import static io.statesys.service.http.Instants.instant;

/** The client_identity table: registered keys and their standing. Callers pass the connection (or pool) to run on. */
@ApplicationScoped
public class ClientIdentities {
    static final String COLUMNS = """
            client_id, netbios_name, algorithm, public_key, key_fingerprint, status, registered_at, approved_at,
            blocked_at, approved_by_token, changed_at""";

    static final String FIND = "SELECT " + COLUMNS + " FROM client_identity WHERE client_id = $1";

    static final String LOCK = FIND + " FOR UPDATE";

    /** The clients whose identity changed at or after $1, and the database's clock (the next watermark). */
    static final String CHANGED_SINCE = """
            SELECT clock_timestamp() AS now, coalesce(array_agg(client_id), '{}') AS clients,
                   coalesce(array_agg(changed_at), '{}') AS changed
            FROM (SELECT client_id, changed_at FROM client_identity WHERE changed_at >= $1
                  UNION ALL
                  SELECT client_id, reset_at FROM client_identity_reset WHERE reset_at >= $1) c""";

    /**
     * Forgets a client's identity (its key and standing): it may register again. The removal is
     * written down for a day, so every replica's cache forgets the key too (V21).
     */
    static final String RESET = """
            WITH gone AS (DELETE FROM client_identity WHERE client_id = $1 RETURNING""" + " " + COLUMNS + """
            ),
            noted AS (INSERT INTO client_identity_reset (client_id) SELECT client_id FROM gone),
            old AS (DELETE FROM client_identity_reset WHERE reset_at < now() - interval '1 day')
            SELECT * FROM gone""";


    static final String INSERT = """
            INSERT INTO client_identity (client_id, netbios_name, algorithm, public_key, key_fingerprint, status,
                                         approved_at, approved_by_token)
            VALUES ($1, $2, $3, $4, $5, $6, CASE WHEN $6 = 'approved' THEN now() END, $7)
            ON CONFLICT (client_id) DO NOTHING
            RETURNING """ + " " + COLUMNS;

    static final String ROTATE = """
            UPDATE client_identity SET algorithm = $2, public_key = $3, key_fingerprint = $4, key_rotated_at = now()
            WHERE client_id = $1
            RETURNING """ + " " + COLUMNS;

    static final String APPROVE = """
            UPDATE client_identity
            SET status = 'approved', approved_at = now(), blocked_at = NULL, approved_by_token = coalesce($2, approved_by_token)
            WHERE client_id = $1
            RETURNING """ + " " + COLUMNS;

    static final String BLOCK = """
            UPDATE client_identity SET status = 'blocked', blocked_at = now()
            WHERE client_id = $1
            RETURNING """ + " " + COLUMNS;

    /** Back to where the client stood before the block: approved if an approval was ever given. */
    static final String UNBLOCK = """
            UPDATE client_identity
            SET status = CASE WHEN approved_at IS NULL THEN 'pending' ELSE 'approved' END, blocked_at = NULL
            WHERE client_id = $1
            RETURNING """ + " " + COLUMNS;

    /** The identity that was forgotten, or empty when the client had none. */
    public Uni<Optional<ClientIdentity>> reset(SqlClient db, UUID client) {
        return one(db, RESET, Tuple.of(client));
    }

    public Uni<Optional<ClientIdentity>> find(SqlClient db, UUID client) {
        return one(db, FIND, Tuple.of(client));
    }

    /** The identity locked for the caller's transaction (registration decides on it). */
    public Uni<Optional<ClientIdentity>> lock(SqlClient db, UUID client) {
        return one(db, LOCK, Tuple.of(client));
    }

    /** Empty when another registration of the same client won the race. */
    public Uni<Optional<ClientIdentity>> insert(SqlClient db, UUID client, String netbiosName, ClientKey key, Status status,
                                                Long approvedByToken) {
        return one(db, INSERT, Tuple.tuple().addUUID(client).addString(netbiosName).addString(key.algorithm().alg())
                .addValue(Buffer.buffer(key.der())).addString(key.fingerprint())
                .addString(status.wire()).addLong(approvedByToken));
    }

    public Uni<Optional<ClientIdentity>> rotate(SqlClient db, UUID client, ClientKey key) {
        return one(db, ROTATE, Tuple.of(client, key.algorithm().alg(), Buffer.buffer(key.der()),
                key.fingerprint()));
    }

    public Uni<Optional<ClientIdentity>> approve(SqlClient db, UUID client, Long byToken) {
        return one(db, APPROVE, Tuple.of(client, byToken));
    }

    public Uni<Optional<ClientIdentity>> block(SqlClient db, UUID client) {
        return one(db, BLOCK, Tuple.of(client));
    }

    public Uni<Optional<ClientIdentity>> unblock(SqlClient db, UUID client) {
        return one(db, UNBLOCK, Tuple.of(client));
    }

    /** What changed since a point on the database's clock; see {@link KeyCache}. */
    public record Changes(java.time.OffsetDateTime now, java.util.Map<UUID, java.time.OffsetDateTime> changed) {
    }

    public Uni<Changes> changedSince(SqlClient db, java.time.OffsetDateTime since) {
        return db.preparedQuery(CHANGED_SINCE).execute(Tuple.of(since)).map(rows -> {
            Row r = rows.iterator().next();
            UUID[] clients = r.getArrayOfUUIDs("clients");
            java.time.OffsetDateTime[] at = r.getArrayOfOffsetDateTimes("changed");
            java.util.Map<UUID, java.time.OffsetDateTime> changed = new java.util.HashMap<>();
            for (int i = 0; i < clients.length; i++) {
                changed.merge(clients[i], at[i], (a, b) -> a.isAfter(b) ? a : b);
            }
            return new Changes(r.getOffsetDateTime("now"), changed);
        });
    }

    private static Uni<Optional<ClientIdentity>> one(SqlClient db, String sql, Tuple args) {
        return db.preparedQuery(sql).execute(args).map(rows -> rows.size() == 0
                ? Optional.<ClientIdentity>empty() : Optional.of(of(rows.iterator().next())));
    }

    static ClientIdentity of(Row r) {
        Long token = r.getLong("approved_by_token");
        return new ClientIdentity(r.getUUID("client_id"), r.getString("netbios_name"),
                ClientKey.fromDer(r.getBuffer("public_key").getBytes()), Status.ofWire(r.getString("status")),
                instant(r.getOffsetDateTime("registered_at")), instant(r.getOffsetDateTime("approved_at")),
                instant(r.getOffsetDateTime("blocked_at")), token, r.getOffsetDateTime("changed_at"));
    }
}
