package io.statesys.console.signin;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the console's sessions keep in the database (V24): the secret their key is derived from,
 * and the nonces of sessions that were signed out, until they would have expired. Each replica holds
 * the revoked nonces in memory, read again every {@link #REFRESH}, so checking a cookie costs no
 * round trip; a sign-out is refused at once where it happened and within that time everywhere.
 */
@ApplicationScoped
public class SessionStore {
    private static final Logger LOG = Logger.getLogger(SessionStore.class);
    static final Duration REFRESH = Duration.ofSeconds(5);

    static final String SECRET = "SELECT session_key FROM console_secret";
    static final String REVOKE = """
            INSERT INTO console_session_revoked (nonce, expires_at) VALUES ($1, $2) ON CONFLICT (nonce) DO NOTHING""";
    static final String REVOKED = "SELECT nonce FROM console_session_revoked WHERE expires_at > now()";
    static final String FORGET_EXPIRED = "DELETE FROM console_session_revoked WHERE expires_at <= now()";

    private final Pool pool;
    private final Vertx vertx;
    private final Set<String> revoked = ConcurrentHashMap.newKeySet();
    private final long timer;

    public SessionStore(Pool pool, Vertx vertx) {
        this.pool = pool;
        this.vertx = vertx;
        this.timer = vertx.setPeriodic(REFRESH.toMillis(), id -> refresh());
    }

    /**
     * The database's secret, read once at start right after the migrations, over their connection
     * (the service's own pool may not reach the database yet: it retries in the background).
     */
    byte[] secret(javax.sql.DataSource migrated) {
        try (java.sql.Connection c = migrated.getConnection();
             java.sql.Statement st = c.createStatement();
             java.sql.ResultSet rs = st.executeQuery(SECRET)) {
            if (!rs.next()) {
                throw new IllegalStateException("console_secret holds no key (migration V24)");
            }
            return rs.getBytes(1);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("cannot read the console's session secret: " + e.getMessage(), e);
        }
    }

    boolean revoked(String nonce) {
        return revoked.contains(nonce);
    }

    /** Refused here at once; written down for the other replicas (if the database cannot take it now, they learn of it never: said in the log). */
    Uni<Void> revoke(String nonce, Instant expires) {
        revoked.add(nonce);
        return pool.preparedQuery(REVOKE).execute(Tuple.of(nonce, expires.atOffset(ZoneOffset.UTC))).replaceWithVoid()
                .onFailure().invoke(e -> LOG.warnf("a signed-out console session is refused by this replica only: %s", e.getMessage()))
                .onFailure().recoverWithNull();
    }

    void refresh() {
        pool.query(FORGET_EXPIRED).execute().chain(() -> pool.query(REVOKED).execute()).subscribe().with(rows -> {
            Set<String> now = ConcurrentHashMap.newKeySet();
            for (Row r : rows) {
                now.add(r.getString("nonce"));
            }
            revoked.addAll(now);
            revoked.retainAll(now);
        }, failure -> LOG.debugf("could not read the signed-out console sessions: %s", failure.getMessage()));
    }

    @PreDestroy
    void stop() {
        vertx.cancelTimer(timer);
    }
}
