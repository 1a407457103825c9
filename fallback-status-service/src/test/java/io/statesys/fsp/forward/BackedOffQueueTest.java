package io.statesys.fsp.forward;

import io.quarkus.test.junit.QuarkusTest;
import io.statesys.schema.FspBacklog;
import io.statesys.service.database.Transactions;
import io.statesys.testing.Reports;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;

/**
 * While the relay is down the FSP holds the clients' messages, each backing off. What the forwarder
 * and the readiness probe read must not grow with that queue: they read its head and what is due,
 * never every waiting row (V18). Each test empties the queue first, so it holds only what that test
 * put there (the service's other tests share the database).
 */
@QuarkusTest
class BackedOffQueueTest {
    /** Enough rows that reading them all costs hundreds of pages; the statements here read a few. */
    private static final int BACKED_OFF = 20_000;
    private static final int FEW_PAGES = 40;

    @Inject
    Pool pool;

    private Transactions tx;
    private ForwardStore store;

    @BeforeEach
    void emptyQueue() {
        tx = new Transactions(pool, Duration.ofSeconds(30));
        store = new ForwardStore(tx, Forwarder.RELAY_BACKOFF);
        sql("TRUNCATE fsp_queue, fsp_signed_report");
    }

    @Test
    void aQueueFullOfMessagesInBackOffIsAskedWhetherAnythingIsDueWithoutReadingThem() {
        backedOff(BACKED_OFF);
        sql("ANALYZE fsp_queue");

        assertThat(store.anythingDue()).isFalse();
        assertThat(pagesRead(ForwardStore.ANYTHING_DUE, Tuple.tuple())).isLessThan(FEW_PAGES);

        // one due message among them is found, and leasing it reads about as little
        insert(null);
        assertThat(store.anythingDue()).isTrue();
        assertThat(pagesRead(ForwardStore.LEASE, Tuple.of(Forwarder.MAX_BATCH, 60.0))).isLessThan(FEW_PAGES);
        List<ForwardStore.QueuedMessage> leased = tx.inTransaction(conn -> store.lease(conn, Forwarder.MAX_BATCH, Duration.ofMinutes(1)));
        assertThat(leased).hasSize(1);
        assertThat(store.anythingDue()).isFalse();
    }

    @Test
    void messagesLeaveInTheOrderTheyBecameDueAndANewOneIsDueWhenItArrives() {
        long backedOffLonger = insert("now() - interval '1 minute'");
        long fresh = insert(null);
        long dueEarliest = insert("now() - interval '2 minutes'");
        long stillWaiting = insert("now() + interval '1 hour'");

        List<Long> ids = leasedIdsInDueOrder();
        assertThat(ids).containsExactly(dueEarliest, backedOffLonger, fresh).doesNotContain(stillWaiting);
    }

    @Test
    void signedReportsLeaveInTheOrderTheyBecameDueAndWaitingOnesAreNotRead() {
        for (int i = 0; i < 2_000; i++) {
            signed("now() + interval '1 hour'");
        }
        long later = signed("now() - interval '1 minute'");
        long earlier = signed("now() - interval '2 minutes'");
        sql("ANALYZE fsp_signed_report");

        List<ForwardStore.SignedReport> leased = tx.inTransaction(conn -> store.leaseSigned(conn, 1_000, Duration.ofMinutes(1)));
        assertThat(leased).extracting(ForwardStore.SignedReport::id).containsExactlyInAnyOrder(earlier, later);
        // a grant of one message takes the first due, whatever its id
        sql("UPDATE fsp_signed_report SET next_attempt_at = now() - interval '1 minute' WHERE id IN (" + later + ", " + earlier + ")");
        sql("UPDATE fsp_signed_report SET next_attempt_at = now() - interval '2 minutes' WHERE id = " + earlier);
        List<ForwardStore.SignedReport> one = tx.inTransaction(conn -> store.leaseSigned(conn, 1, Duration.ofMinutes(1)));
        assertThat(one).extracting(ForwardStore.SignedReport::id).containsExactly(earlier);
        assertThat(later).isLessThan(earlier);
    }

    @Test
    void readinessReadsTheHeadOfTheQueueAndShowsTheSampledCount() {
        backedOff(BACKED_OFF);
        sql("UPDATE fsp_queue SET received_at = now() - interval '1 hour' WHERE id = (SELECT min(id) FROM fsp_queue)");
        sql("ANALYZE fsp_queue");

        assertThat(pagesRead("SELECT " + FspBacklog.OLDEST_AGE_SECONDS, Tuple.tuple())).isLessThan(FEW_PAGES);
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'fsp-queue' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'fsp-queue' }.data.oldestAgeSeconds", greaterThanOrEqualTo(3590));
        // the count is the status endpoint's (and the gauges'), read when asked, not per probe
        given().get("/api/v1/fsp/status").then().statusCode(200)
                .body("queued", equalTo(BACKED_OFF))
                .body("oldestQueuedAgeSeconds", greaterThanOrEqualTo(3590));
    }

    /** One message per lease, so each lease shows which message was first due. */
    private List<Long> leasedIdsInDueOrder() {
        List<Long> ids = new java.util.ArrayList<>();
        for (List<ForwardStore.QueuedMessage> one = leaseOne(); !one.isEmpty(); one = leaseOne()) {
            ids.add(one.get(0).id());
        }
        return ids;
    }

    private List<ForwardStore.QueuedMessage> leaseOne() {
        return tx.inTransaction(conn -> store.lease(conn, 1, Duration.ofMinutes(1)));
    }

    private void backedOff(int messages) {
        sql("INSERT INTO fsp_queue (client_id, serial_number, message, attempts, next_attempt_at) "
                + "SELECT gen_random_uuid(), g, convert_to(repeat('m', 300), 'UTF8'), 3, now() + interval '1 hour' "
                + "FROM generate_series(1, " + messages + ") g");
    }

    /** One message as a client posts it, due at {@code nextAttemptAt} (SQL), or as it arrived when null. */
    private long insert(String nextAttemptAt) {
        Reports report = Reports.forNewClient().detections(1, 1, Instant.now());
        given().contentType("text/xml").body(report.utf16()).post("/api/v1/statemessages").then().statusCode(202);
        if (nextAttemptAt != null) {
            pool.preparedQuery("UPDATE fsp_queue SET next_attempt_at = " + nextAttemptAt + " WHERE client_id = $1")
                    .execute(Tuple.of(report.client())).await().indefinitely();
        }
        return pool.preparedQuery("SELECT id FROM fsp_queue WHERE client_id = $1").execute(Tuple.of(report.client()))
                .await().indefinitely().iterator().next().getLong("id");
    }

    private long signed(String nextAttemptAt) {
        return pool.query("INSERT INTO fsp_signed_report (client_id, message_count, content_digest, signature_input, signature, body, next_attempt_at) "
                        + "VALUES (gen_random_uuid(), 1, 'd', 'i', 's', '\\x00', " + nextAttemptAt + ") RETURNING id")
                .execute().await().indefinitely().iterator().next().getLong("id");
    }

    /** Pages (shared buffers hit or read) the statement touched, run and rolled back. */
    private long pagesRead(String statement, Tuple params) {
        SqlConnection conn = pool.getConnection().await().indefinitely();
        try {
            conn.query("BEGIN").execute().await().indefinitely();
            JsonArray plan = (JsonArray) conn.preparedQuery("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + statement)
                    .execute(params).await().indefinitely().iterator().next().getValue(0);
            JsonObject top = plan.getJsonObject(0).getJsonObject("Plan");
            return top.getLong("Shared Hit Blocks") + top.getLong("Shared Read Blocks");
        } finally {
            conn.query("ROLLBACK").execute().await().indefinitely();
            conn.close().await().indefinitely();
        }
    }

    private void sql(String statement) {
        pool.query(statement).execute().await().indefinitely();
    }
}
