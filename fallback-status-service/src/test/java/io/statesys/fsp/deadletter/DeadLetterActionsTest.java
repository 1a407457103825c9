package io.statesys.fsp.deadletter;

import io.quarkus.test.junit.QuarkusTest;
import io.statesys.core.inbox.InboxPayload;
import io.statesys.core.report.ClientId;
import io.statesys.core.report.Sender;
import io.statesys.core.report.StateMessage;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/** An admin re-queues or discards a dead letter (docs/api.md, "Fallback status point"). */
@QuarkusTest
class DeadLetterActionsTest {
    static final String ADMIN = "Bearer test-admin-token";

    @Inject
    Pool pool;

    long deadLetter(UUID client, int messages) {
        List<StateMessage> list = new ArrayList<>();
        Instant at = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        for (int i = 0; i < messages; i++) {
            list.add(new StateMessage(at, 100L + i, 500, "update-" + i, 3, 2, 0, List.of("102"), null));
        }
        byte[] payload = InboxPayload.encode(new Sender("5.00.9128.1000", 1, 1, null, null), list);
        return pool.preparedQuery("""
                        INSERT INTO fsp_dead_letter (client_id, netbios_name, received_at, message_count, payload, relay_status, relay_answer)
                        VALUES ($1, 'WKS-D', now(), $2, $3, 403, '{"error":"client_pending"}') RETURNING id""")
                .execute(Tuple.of(client, messages, Buffer.buffer(payload))).await().indefinitely().iterator().next().getLong("id");
    }

    @Test
    void aRequeuedDeadLetterIsQueuedAgainMessageByMessageAndGone() {
        UUID client = UUID.randomUUID();
        long id = deadLetter(client, 3);
        given().header("Authorization", ADMIN).post("/api/v1/fsp/dead-letters/{id}/requeue", id).then().statusCode(200)
                .body("action", equalTo("requeued")).body("messages", equalTo(3));
        List<Long> serials = new ArrayList<>();
        for (Row r : pool.preparedQuery("SELECT serial_number, netbios_name FROM fsp_queue WHERE client_id = $1 ORDER BY serial_number")
                .execute(Tuple.of(client)).await().indefinitely()) {
            serials.add(r.getLong("serial_number"));
            assertThat(r.getString("netbios_name")).isEqualTo("WKS-D");
        }
        assertThat(serials).containsExactly(100L, 101L, 102L);
        assertThat(pool.preparedQuery("SELECT count(*) FROM fsp_dead_letter WHERE id = $1").execute(Tuple.of(id)).await().indefinitely()
                .iterator().next().getLong(0)).isZero();
        given().header("Authorization", ADMIN).post("/api/v1/fsp/dead-letters/{id}/requeue", id).then().statusCode(404)
                .body("error", equalTo("unknown_dead_letter"));
        // out of the way of the forwarder tests (the queue is shared, oldest first)
        pool.preparedQuery("DELETE FROM fsp_queue WHERE client_id = $1").execute(Tuple.of(client)).await().indefinitely();
    }

    @Test
    void aDiscardedDeadLetterIsGoneAndNothingIsQueued() {
        UUID client = UUID.randomUUID();
        long id = deadLetter(client, 2);
        given().header("Authorization", ADMIN).delete("/api/v1/fsp/dead-letters/{id}", id).then().statusCode(200)
                .body("action", equalTo("discarded")).body("messages", equalTo(2));
        assertThat(pool.preparedQuery("SELECT count(*) FROM fsp_queue WHERE client_id = $1").execute(Tuple.of(client)).await().indefinitely()
                .iterator().next().getLong(0)).isZero();
        given().header("Authorization", ADMIN).get("/api/v1/fsp/dead-letters").then().statusCode(200);
    }

    @Test
    void deadLetterActionsAreAdminOnly() {
        long id = deadLetter(UUID.randomUUID(), 1);
        given().post("/api/v1/fsp/dead-letters/{id}/requeue", id).then().statusCode(401);
        given().header("Authorization", "Bearer wrong").delete("/api/v1/fsp/dead-letters/{id}", id).then().statusCode(401);
        given().header("Authorization", ADMIN).get("/api/v1/fsp/dead-letters").then().statusCode(200)
                .body("find { it.id == " + id + " }.clientId.size()", equalTo(ClientId.format(UUID.randomUUID()).length()));
    }
}
