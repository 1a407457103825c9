package io.statesys.resync.requests;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;

/** The reference documents' two outstanding-resync counts, run verbatim against the compatibility view. */
@ApplicationScoped
public class OutstandingResyncs {
    static final String ISSUED_NOT_COMPLETED = "select count(*) from SR_ClientMessageStats where LastResyncIssuedTime is not null and (LastResyncIssuedTime > LastResyncClientCompletedTime)";
    static final String NEVER_COMPLETED = "select count(*) from SR_ClientMessageStats where LastResyncIssuedTime is not null and LastResyncClientCompletedTime is null";

    private final Pool pool;

    public OutstandingResyncs(Pool pool) {
        this.pool = pool;
    }

    public record Counts(long issuedNotCompleted, long neverCompleted) {
    }

    public Uni<Counts> counts() {
        return count(ISSUED_NOT_COMPLETED).chain(a -> count(NEVER_COMPLETED).map(b -> new Counts(a, b)));
    }

    private Uni<Long> count(String sql) {
        return pool.query(sql).execute().map(r -> r.iterator().next().getLong(0));
    }
}
