package io.statesys.console.identity;

import io.quarkus.qute.TemplateData;
import io.smallrye.mutiny.Uni;
import io.statesys.console.Page;
import io.statesys.core.report.ClientId;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;

/** What the identity view reads: how many clients are in each state, who waits, who is blocked, who reports unverified. */
@ApplicationScoped
public class IdentityStore {
    static final String COUNTS = """
            SELECT (SELECT count(*) FROM client_identity) AS registered,
                   (SELECT count(*) FROM client_identity WHERE status = 'pending') AS pending,
                   (SELECT count(*) FROM client_identity WHERE status = 'blocked') AS blocked,
                   (SELECT count(*) FROM unverified_client) AS unverified,
                   now() AS as_of""";

    static final String NOT_APPROVED = """
            SELECT client_id, netbios_name, status, key_fingerprint, registered_at, blocked_at FROM client_identity
            WHERE status = $1 ORDER BY registered_at LIMIT 100""";

    static final String UNVERIFIED = """
            SELECT client_id, reports, last_reason, first_at, last_at FROM unverified_client ORDER BY last_at DESC LIMIT 50""";

    @TemplateData
    public record Registered(String clientId, String netbiosName, String status, String keyFingerprint, String registeredAt, String blockedAt) {
    }

    @TemplateData
    public record Unverified(String clientId, long reports, String lastReason, String firstAt, String lastAt) {
    }

    /** Identities by state, and clients whose reports were refused unverified. */
    public record Counts(String asOf, long registered, long pending, long blocked, long unverified) {
    }

    private final Pool pool;

    public IdentityStore(Pool pool) {
        this.pool = pool;
    }

    public Uni<Counts> counts() {
        return pool.query(COUNTS).execute().map(rows -> {
            Row c = rows.iterator().next();
            return new Counts(Page.time(c.getOffsetDateTime("as_of")), c.getLong("registered"), c.getLong("pending"), c.getLong("blocked"),
                    c.getLong("unverified"));
        });
    }

    /** The oldest 100 identities in one state ({@code pending}, {@code blocked}). */
    public Uni<List<Registered>> registered(String status) {
        return pool.preparedQuery(NOT_APPROVED).execute(Tuple.of(status)).map(rows -> {
            List<Registered> out = new ArrayList<>();
            for (Row r : rows) {
                out.add(new Registered(ClientId.format(r.getUUID("client_id")), r.getString("netbios_name"), r.getString("status"),
                        r.getString("key_fingerprint"), Page.time(r.getOffsetDateTime("registered_at")), Page.time(r.getOffsetDateTime("blocked_at"))));
            }
            return out;
        });
    }

    /** The 50 clients whose unverified reports came last. */
    public Uni<List<Unverified>> unverified() {
        return pool.query(UNVERIFIED).execute().map(rows -> {
            List<Unverified> out = new ArrayList<>();
            for (Row r : rows) {
                out.add(new Unverified(ClientId.format(r.getUUID("client_id")), r.getLong("reports"), r.getString("last_reason"),
                        Page.time(r.getOffsetDateTime("first_at")), Page.time(r.getOffsetDateTime("last_at"))));
            }
            return out;
        });
    }
}
