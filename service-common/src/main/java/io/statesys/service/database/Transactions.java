package io.statesys.service.database;

import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import io.vertx.mutiny.sqlclient.Tuple;

import java.time.Duration;
import java.util.function.Function;

/**
 * Blocking transactions for the worker threads (loader, forwarder) that drive the reactive pool
 * from their own threads: one connection, one transaction, committed when the work returns,
 * rolled back when it throws. A connection that cannot be had is {@link DatabaseUnavailableException}.
 */
public final class Transactions {
    private static final Duration RELEASE_WAIT = Duration.ofSeconds(10);

    private final Pool pool;
    private final Duration wait;

    public Transactions(Pool pool, Duration wait) {
        this.pool = pool;
        this.wait = wait;
    }

    public <T> T inTransaction(Function<SqlConnection, T> work) {
        return inTransaction(work, () -> { });
    }

    /** {@code beforeCommit} runs after the work, inside the transaction (crash tests inject faults there). */
    public <T> T inTransaction(Function<SqlConnection, T> work, Runnable beforeCommit) {
        SqlConnection conn;
        try {
            conn = pool.getConnection().await().atMost(wait);
        } catch (RuntimeException e) {
            throw new DatabaseUnavailableException(e);
        }
        Transaction tx = null;
        try {
            tx = conn.begin().await().atMost(wait);
            T result = work.apply(conn);
            beforeCommit.run();
            tx.commit().await().atMost(wait);
            tx = null;
            return result;
        } finally {
            if (tx != null) {
                try {
                    tx.rollback().await().atMost(RELEASE_WAIT);
                } catch (RuntimeException ignored) {
                    // closing the connection below ends the transaction anyway
                }
            }
            try {
                conn.close().await().atMost(RELEASE_WAIT);
            } catch (RuntimeException ignored) {
                // nothing more to release
            }
        }
    }

    /** One statement on the caller's connection, waited for. */
    public RowSet<Row> run(SqlConnection conn, String sql, Tuple params) {
        return conn.preparedQuery(sql).execute(params).await().atMost(wait);
    }

    /** One statement in its own implicit transaction. */
    public RowSet<Row> run(String sql, Tuple params) {
        return pool.preparedQuery(sql).execute(params).await().atMost(wait);
    }
}
