package io.statesys.service.database;

import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import io.statesys.core.config.StatesysConfig;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import java.time.Duration;
import java.util.concurrent.TimeoutException;

/**
 * Ready means the database answers through the pool this service already holds.
 *
 * <p>Quarkus' own datasource checks are off ({@code quarkus.datasource.health.enabled=false}): the
 * JDBC one opened a new connection for every probe (the JDBC pool keeps none — it only serves the
 * migration), so a database at {@code max_connections} turned a service that was working perfectly
 * not-ready. Here the probe runs {@code SELECT 1} on the reactive pool, which reuses a connection
 * it holds. When the pool would need a new one and the server is full (53300), or every
 * connection is busy past the probe's timeout, the database is busy, not gone: the service stays
 * ready for {@code statesys.health.database-grace} after its last answer. A database that refuses
 * or drops connections (an outage) is not-ready at once.
 */
@Readiness
@ApplicationScoped
public class DatabaseReadiness implements AsyncHealthCheck {
    static final String NAME = "database";
    private final Pool pool;
    private final Duration timeout;
    private final Duration grace;
    /** System.nanoTime() of the last answer; 0 before the first. */
    private volatile long lastAnswer;

    public DatabaseReadiness(Pool pool, StatesysConfig config) {
        this.pool = pool;
        this.timeout = config.health().databaseTimeout();
        this.grace = config.health().databaseGrace();
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        return pool.query("SELECT 1").execute()
                .ifNoItem().after(timeout).failWith(() -> new TimeoutException("no pooled connection within " + timeout))
                .map(rows -> {
                    lastAnswer = System.nanoTime();
                    return HealthCheckResponse.named(NAME).up().build();
                })
                .onFailure().recoverWithItem(this::verdict);
    }

    private HealthCheckResponse verdict(Throwable failure) {
        long last = lastAnswer;
        long sinceSeconds = last == 0 ? -1 : (System.nanoTime() - last) / 1_000_000_000L;
        if (isBusy(failure) && last != 0 && System.nanoTime() - last < grace.toNanos()) {
            return HealthCheckResponse.named(NAME).up()
                    .withData("busy", describe(failure))
                    .withData("lastAnswerSecondsAgo", sinceSeconds).build();
        }
        return HealthCheckResponse.named(NAME).down()
                .withData("failure", DatabaseFailure.of(failure).name())
                .withData("error", describe(failure))
                .withData("lastAnswerSecondsAgo", sinceSeconds).build();
    }

    /**
     * The server is full (53300) or the pool had no free connection in time: busy, not gone. Other
     * readiness checks that query through the pool ask this too, and leave the verdict on the
     * database to this check (its grace).
     */
    public static boolean isBusy(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof PgException pg && "53300".equals(pg.getSqlState())) {
                return true;
            }
            if (t instanceof TimeoutException || t instanceof io.smallrye.mutiny.TimeoutException) {
                return true;
            }
        }
        return false;
    }

    private static String describe(Throwable failure) {
        String m = String.valueOf(failure.getMessage());
        return failure.getClass().getSimpleName() + ": " + (m.length() > 200 ? m.substring(0, 200) + "…" : m);
    }
}
