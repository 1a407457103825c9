package io.statesys.service.identity;

import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static io.statesys.service.http.Instants.instant;

/**
 * Enrolment tokens: {@code <id>.<secret>}, shown once at creation. Only a SHA-256 of the secret is
 * stored; a presented token is looked up by its id and its secret compared in constant time.
 */
@ApplicationScoped
public class EnrolmentTokens {
    static final String CREATE = """
            INSERT INTO enrolment_token (secret_hash, expires_at, max_registrations) VALUES ($1, now() + make_interval(secs => $2), $3)
            RETURNING id, expires_at, max_registrations""";

    static final String LIST = """
            SELECT t.id, t.expires_at, t.revoked_at IS NOT NULL AS revoked, t.max_registrations,
                   coalesce((SELECT sum(r.registrations) FROM enrolment_token_registrations r WHERE r.token_id = t.id), 0)
                       AS registrations
            FROM enrolment_token t ORDER BY t.id""";

    static final String REVOKE = "UPDATE enrolment_token SET revoked_at = coalesce(revoked_at, now()) WHERE id = $1";

    static final String USABLE = """
            SELECT secret_hash FROM enrolment_token
            WHERE id = $1 AND revoked_at IS NULL AND expires_at > now()""";

    /**
     * Whether a token with a use limit may approve one more registration, in the registration's
     * transaction: the token's row is locked, so concurrent registrations behind it are counted one
     * after the other and the limit holds exactly (tokens without a limit never take the lock).
     */
    static final String WITHIN_LIMIT = """
            SELECT t.max_registrations IS NULL
                   OR coalesce((SELECT sum(r.registrations) FROM enrolment_token_registrations r WHERE r.token_id = t.id), 0)
                      < t.max_registrations AS within
            FROM enrolment_token t WHERE t.id = $1
            FOR UPDATE OF t""";

    /**
     * One of {@link #COUNTER_SHARDS} rows per token, picked by the client: a mass enrolment behind one
     * token would otherwise queue on a single row (migration V13 tells the story).
     */
    static final String COUNT_REGISTRATION = """
            INSERT INTO enrolment_token_registrations AS r (token_id, shard, registrations) VALUES ($1, $2, 1)
            ON CONFLICT (token_id, shard) DO UPDATE SET registrations = r.registrations + 1""";

    static final int COUNTER_SHARDS = 16;

    /** Per instance, made at run time: a static one would be seeded once, in a native image at build time. */
    private final SecureRandom random = new SecureRandom();

    /** {@code maxRegistrations}: null when the token approves any number of registrations. */
    public record Created(long id, String token, Instant expiresAt, Integer maxRegistrations) {
    }

    public record Listed(long id, Instant expiresAt, boolean revoked, int registrations, Integer maxRegistrations) {
    }

    public Uni<Created> create(SqlClient db, Duration validFor) {
        return create(db, validFor, null);
    }

    public Uni<Created> create(SqlClient db, Duration validFor, Integer maxRegistrations) {
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        String secretText = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        return db.preparedQuery(CREATE).execute(Tuple.of(Buffer.buffer(hash(secretText)), (double) validFor.toSeconds(), maxRegistrations))
                .map(rows -> {
                    Row r = rows.iterator().next();
                    return new Created(r.getLong("id"), r.getLong("id") + "." + secretText,
                            r.getOffsetDateTime("expires_at").toInstant(), r.getInteger("max_registrations"));
                });
    }

    public Uni<List<Listed>> list(SqlClient db) {
        return db.query(LIST).execute().map(rows -> {
            List<Listed> out = new ArrayList<>();
            for (Row r : rows) {
                out.add(new Listed(r.getLong("id"), instant(r.getOffsetDateTime("expires_at")), r.getBoolean("revoked"),
                        r.getLong("registrations").intValue(), r.getInteger("max_registrations")));
            }
            return out;
        });
    }

    /** True when a token of that id existed (revoking twice is fine). */
    public Uni<Boolean> revoke(SqlClient db, long id) {
        return db.preparedQuery(REVOKE).execute(Tuple.of(id)).map(r -> r.rowCount() > 0);
    }

    /** The id of a presented token that may approve a registration now: known, not revoked, not expired. */
    public Uni<Optional<Long>> usable(SqlClient db, String presented) {
        int dot = presented == null ? -1 : presented.indexOf('.');
        long id;
        try {
            id = dot > 0 && dot < 20 ? Long.parseLong(presented.substring(0, dot)) : -1;
        } catch (NumberFormatException e) {
            id = -1;
        }
        if (id < 0) {
            return Uni.createFrom().item(Optional.empty());
        }
        long tokenId = id;
        byte[] presentedHash = hash(presented.substring(dot + 1));
        return db.preparedQuery(USABLE).execute(Tuple.of(tokenId)).map(rows -> {
            if (rows.size() == 0) {
                return Optional.<Long>empty();
            }
            byte[] stored = rows.iterator().next().getBuffer("secret_hash").getBytes();
            return MessageDigest.isEqual(stored, presentedHash) ? Optional.of(tokenId) : Optional.<Long>empty();
        });
    }

    /** True when the token may approve one more registration (its use limit not reached), in the caller's transaction. */
    public Uni<Boolean> withinLimit(SqlClient db, long id) {
        return db.preparedQuery(WITHIN_LIMIT).execute(Tuple.of(id))
                .map(rows -> rows.size() > 0 && Boolean.TRUE.equals(rows.iterator().next().getBoolean("within")));
    }

    /** Counts a registration the token approved, in the caller's transaction. */
    public Uni<Void> countRegistration(SqlClient db, long id, UUID client) {
        short shard = (short) Math.floorMod(client.hashCode(), COUNTER_SHARDS);
        return db.preparedQuery(COUNT_REGISTRATION).execute(Tuple.of(id, shard)).replaceWithVoid();
    }

    private static byte[] hash(String secret) {
        return io.statesys.core.signing.RequestSigner.sha256(secret.getBytes(StandardCharsets.UTF_8));
    }
}
