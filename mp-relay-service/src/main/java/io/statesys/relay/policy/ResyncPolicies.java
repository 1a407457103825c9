package io.statesys.relay.policy;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.UUID;

/** The resync request a client must act on, if any (issued by the resync service). */
@ApplicationScoped
public class ResyncPolicies {
    static final String OUTSTANDING = """
            SELECT id, issued_at FROM resync_request
            WHERE client_id = $1 AND completed_at IS NULL""";

    private final Pool pool;

    public ResyncPolicies(Pool pool) {
        this.pool = pool;
    }

    public Uni<Optional<Outstanding>> outstanding(UUID client) {
        return pool.preparedQuery(OUTSTANDING).execute(Tuple.of(client)).map(rows -> {
            if (rows.size() == 0) {
                return Optional.empty();
            }
            Row r = rows.iterator().next();
            return Optional.of(new Outstanding(r.getLong("id"), r.getOffsetDateTime("issued_at")));
        });
    }

    public record Outstanding(long requestId, OffsetDateTime issuedAt) {
    }
}
