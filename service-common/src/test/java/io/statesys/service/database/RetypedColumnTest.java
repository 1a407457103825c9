package io.statesys.service.database;

import io.vertx.core.Vertx;
import io.statesys.testing.LocalServer;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.PreparedQuery;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * A migration that changes a column's type under a running service: the real server answers that
 * connection's cached statement with SQLSTATE 0A000 ("cached plan must not change result type"),
 * and that is a schema mismatch — the code and the schema disagree — not data to set aside.
 * Runs on the local server (STATESYS_DB_* as the services; a temporary table, nothing kept).
 */
class RetypedColumnTest {
    private Vertx vertx;
    private PgConnection connection;

    @BeforeEach
    void connect() throws Exception {
        vertx = Vertx.vertx();
        PgConnectOptions options = new PgConnectOptions()
                .setHost(LocalServer.host()).setPort(LocalServer.port())
                .setUser(LocalServer.user()).setPassword(LocalServer.password())
                .setDatabase("postgres").setCachePreparedStatements(true);
        connection = PgConnection.connect(vertx, options).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void close() throws Exception {
        connection.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void aCachedStatementMeetingAColumnAMigrationRetypedIsASchemaMismatch() throws Exception {
        run("CREATE TEMPORARY TABLE retyped (n integer)");
        run("INSERT INTO retyped VALUES (1)");
        PreparedQuery<RowSet<Row>> read = connection.preparedQuery("SELECT n FROM retyped");
        assertThat(read.execute().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).iterator().next().getInteger(0))
                .isEqualTo(1);
        run("ALTER TABLE retyped ALTER COLUMN n TYPE bigint");

        Throwable failure = catchThrowable(() -> connection.preparedQuery("SELECT n FROM retyped").execute()
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS));

        assertThat(failure).hasRootCauseInstanceOf(PgException.class);
        assertThat(((PgException) rootCause(failure)).getSqlState()).isEqualTo("0A000");
        assertThat(DatabaseFailure.of(failure)).isEqualTo(DatabaseFailure.SCHEMA_MISMATCH);
    }

    private void run(String sql) throws Exception {
        connection.query(sql).execute().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static Throwable rootCause(Throwable t) {
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }
}
