package io.statesys.processor.invalid;

import io.quarkus.test.junit.QuarkusTest;
import io.statesys.schema.InboxChannel;
import io.statesys.testing.LocalServer;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import io.statesys.processor.InboxFixture;
import io.statesys.processor.loader.Loader;
import io.statesys.processor.loader.SetAside;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static io.statesys.processor.InboxFixture.detection;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

/**
 * Reports the loader set aside go back to the inbox on an admin's word and load like any other, with
 * the loader's account kept exact: processed + invalid covers every message once.
 */
@QuarkusTest
class InvalidRecordRequeueTest {
    private static final String KB = "6a1c1f8e-3d35-4f0e-9b8e-0c9d2c1b5a77";
    private static final Instant T0 = Instant.parse("2026-12-02T10:00:00Z");
    private static final String ADMIN = "Bearer test-admin-token";

    @Inject
    InboxFixture inbox;

    @Inject
    Loader loader;

    @BeforeEach
    void emptyInbox() {
        loader.drainNow();
    }

    /** A report of {@code messages} messages set aside by the loader after its retries failed with {@code cause}. */
    private long setAside(UUID client, String cause, int messages) {
        List<io.statesys.core.report.StateMessage> list = new java.util.ArrayList<>();
        for (int i = 1; i <= messages; i++) {
            list.add(detection(i, UUID.nameUUIDFromBytes((client + "/" + i).getBytes()).toString(), 2, T0.plusSeconds(i)));
        }
        return SetAside.afterRetries(loader, inbox, inbox.put(client, list), cause);
    }

    private String database() {
        return inbox.query("SELECT current_database()").iterator().next().getString(0);
    }

    private long invalidTotal() {
        return inbox.count("SELECT coalesce(sum(invalid), 0) FROM loader_counter");
    }

    @Test
    void aRequeuedRecordLoadsAndLeavesTheInvalidTotalAsItIsCountedProcessed() throws Exception {
        UUID client = UUID.randomUUID();
        long id = setAside(client, "cannot be loaded: column \"topic_key\" does not exist", 3);
        long invalidBefore = invalidTotal();
        long processedBefore = inbox.count("SELECT coalesce(sum(processed), 0) FROM loader_counter");

        given().get("/api/v1/invalid-records").then().statusCode(200).body("id", hasItem((int) id));
        try (Connection listener = DriverManager.getConnection(LocalServer.jdbcUrl(database()), LocalServer.user(), LocalServer.password())) {
            listener.createStatement().execute("LISTEN " + InboxChannel.NAME);
            given().header("Authorization", ADMIN).post("/api/v1/invalid-records/" + id + "/requeue").then().statusCode(200)
                    .body("records", equalTo(1)).body("messages", equalTo(3));
            listener.createStatement().execute("SELECT 1");
            PGNotification[] woken = listener.unwrap(PGConnection.class).getNotifications(10_000);
            assertThat(woken).as("the loaders are woken at the re-queue's commit").isNotEmpty();
        }
        assertThat(inbox.count("SELECT count(*) FROM invalid_record WHERE id = $1", id)).isZero();
        assertThat(inbox.count("SELECT count(*) FROM inbox WHERE client_id = $1 AND source = 'requeued'", client)).isEqualTo(1);

        loader.drainNow();
        assertThat(inbox.count("SELECT count(*) FROM topic_state WHERE client_id = $1", client)).isEqualTo(3);
        assertThat(inbox.stats(client).getString("netbios_name")).as("the name the relay had, kept with the record").isEqualTo("WKS-TEST");
        assertThat(invalidTotal()).isEqualTo(invalidBefore - 3);
        assertThat(inbox.count("SELECT coalesce(sum(processed), 0) FROM loader_counter")).isEqualTo(processedBefore + 3);
        given().header("Authorization", ADMIN).post("/api/v1/invalid-records/" + id + "/requeue").then().statusCode(404)
                .body("error", equalTo("unknown_invalid_record"));
    }

    @Test
    void aReportSetAsideKeepsItsSendersNameItsPriorityAndWhereItCameFromAndARequeueGivesThemBack() {
        UUID client = UUID.randomUUID();
        long bad = inbox.query("""
                INSERT INTO inbox (client_id, netbios_name, source, priority, message_count, payload)
                VALUES ($1, 'WKS-CORRUPT', 'fsp', 3, 2, '\\x01050909'::bytea) RETURNING id""", Tuple.of(client)).iterator().next().getLong(0);
        loader.drainNow();
        long id = inbox.count("SELECT id FROM invalid_record WHERE inbox_id = $1", bad);
        given().get("/api/v1/invalid-records").then().statusCode(200)
                .body("find { it.id == " + id + " }.netbiosName", equalTo("WKS-CORRUPT"))
                .body("find { it.id == " + id + " }.priority", equalTo(3))
                .body("find { it.id == " + id + " }.source", equalTo("fsp"));

        // back into the inbox with them; still corrupt, so the loader sets it aside again — from a re-queue
        given().header("Authorization", ADMIN).post("/api/v1/invalid-records/" + id + "/requeue").then().statusCode(200);
        loader.drainNow();
        assertThat(inbox.count("SELECT count(*) FROM invalid_record WHERE client_id = $1 AND netbios_name = 'WKS-CORRUPT' "
                + "AND priority = 3 AND source = 'requeued'", client)).isEqualTo(1);
    }

    @Test
    void withoutTheAdminTokenNothingMoves() {
        long id = setAside(UUID.randomUUID(), "cannot be loaded: test", 1);
        given().post("/api/v1/invalid-records/" + id + "/requeue").then().statusCode(401);
        given().header("Authorization", "Bearer wrong").post("/api/v1/invalid-records/requeue").then().statusCode(401);
        assertThat(inbox.count("SELECT count(*) FROM invalid_record WHERE id = $1", id)).isEqualTo(1);
    }

    @Test
    void aRecordWithNoReportToLoadIsRefusedAndStays() {
        long id = inbox.query("INSERT INTO invalid_record (client_id, reason) VALUES ($1, 'undecodable') RETURNING id",
                Tuple.of(UUID.randomUUID())).iterator().next().getLong(0);
        given().header("Authorization", ADMIN).post("/api/v1/invalid-records/" + id + "/requeue").then().statusCode(409)
                .body("error", equalTo("not_loadable"));
        assertThat(inbox.count("SELECT count(*) FROM invalid_record WHERE id = $1", id)).isEqualTo(1);
    }

    @Test
    void requeueByReasonTakesOnlyTheMatchingRecordsUpToTheLimit() {
        String reason = "connection pool exhausted " + UUID.randomUUID();
        UUID a = UUID.randomUUID();
        UUID b = UUID.randomUUID();
        UUID c = UUID.randomUUID();
        long first = setAside(a, reason, 2);
        long second = setAside(b, reason, 2);
        long other = setAside(c, "cannot be loaded: something else " + UUID.randomUUID(), 2);
        String match = reason.substring(reason.indexOf("pool"));

        given().header("Authorization", ADMIN).queryParam("reason", match).queryParam("limit", 1)
                .post("/api/v1/invalid-records/requeue").then().statusCode(200).body("records", equalTo(1)).body("messages", equalTo(2));
        assertThat(inbox.count("SELECT count(*) FROM invalid_record WHERE id = $1", first)).as("the oldest goes first").isZero();
        given().header("Authorization", ADMIN).queryParam("reason", match)
                .post("/api/v1/invalid-records/requeue").then().statusCode(200).body("records", equalTo(1));
        assertThat(inbox.count("SELECT count(*) FROM invalid_record WHERE id = ANY($1)", (Object) new Long[]{first, second})).isZero();
        assertThat(inbox.count("SELECT count(*) FROM invalid_record WHERE id = $1", other)).isEqualTo(1);

        loader.drainNow();
        assertThat(inbox.count("SELECT count(*) FROM topic_state WHERE client_id = ANY($1)", (Object) new UUID[]{a, b})).isEqualTo(4);
        assertThat(inbox.count("SELECT count(*) FROM topic_state WHERE client_id = $1", c)).isZero();
    }

    @Test
    void aLimitOutsideItsRangeIsABadRequest() {
        given().header("Authorization", ADMIN).queryParam("limit", 0).post("/api/v1/invalid-records/requeue")
                .then().statusCode(400).body("error", equalTo("invalid_limit"));
        given().queryParam("limit", 5000).get("/api/v1/invalid-records").then().statusCode(400).body("error", equalTo("invalid_limit"));
    }
}
