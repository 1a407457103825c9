package io.statesys.resync.policy;

import io.quarkus.test.junit.QuarkusTest;
import io.statesys.core.report.ClientId;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

@QuarkusTest
class ResyncCheckTest {
    private static final String ADMIN = "Bearer test-admin-token";

    @Inject
    Pool pool;

    @Inject
    ResyncCheck check;

    @BeforeEach
    void emptyState() {
        sql("DELETE FROM resync_request");
        sql("DELETE FROM missing_range");
        sql("DELETE FROM client_message_stats");
    }

    @Test
    void aClientWhoseGapIsOlderThanTheMinimumAgeGetsARequest() {
        UUID old = gapped("3 days");
        UUID recent = gapped("1 hour");

        ResyncCheck.Outcome o = check.run().await().indefinitely();

        assertThat(o.issued()).isEqualTo(1);
        assertThat(outstanding(old)).isEqualTo(1);
        assertThat(outstanding(recent)).isZero();
        assertThat(sql("SELECT last_resync_issued_time IS NOT NULL FROM client_message_stats WHERE client_id = $1", old)
                .iterator().next().getBoolean(0)).isTrue();
    }

    @Test
    void noSecondRequestWhileOneIsOutstanding() {
        UUID client = gapped("3 days");
        check.run().await().indefinitely();
        ResyncCheck.Outcome again = check.run().await().indefinitely();
        assertThat(again.issued()).isZero();
        assertThat(count("SELECT count(*) FROM resync_request WHERE client_id = $1", client)).isEqualTo(1);
    }

    @Test
    void aRequestWhoseCompletionWasNotProcessedInTimeIsReissued() {
        UUID client = gapped("5 days");
        sql("INSERT INTO resync_request (client_id, issued_at, first_issued_at) VALUES ($1, now() - interval '4 days', now() - interval '4 days')", client);

        ResyncCheck.Outcome o = check.run().await().indefinitely();

        assertThat(o.reissued()).isEqualTo(1);
        assertThat(o.issued()).isZero();
        Row r = sql("SELECT reissue_count, issued_at > now() - interval '1 minute' AS fresh FROM resync_request WHERE client_id = $1", client).iterator().next();
        assertThat(r.getInteger("reissue_count")).isEqualTo(1);
        assertThat(r.getBoolean("fresh")).isTrue();
    }

    @Test
    void aCompletedRequestIsNotReissued() {
        UUID client = stats();
        sql("INSERT INTO resync_request (client_id, issued_at, first_issued_at, completed_at) VALUES ($1, now() - interval '4 days', now() - interval '4 days', now() - interval '3 days')", client);
        assertThat(check.run().await().indefinitely().reissued()).isZero();
    }

    @Test
    void aRequestYoungerThanTheReissuePeriodIsLeftAlone() {
        UUID client = gapped("5 days");
        sql("INSERT INTO resync_request (client_id, issued_at, first_issued_at) VALUES ($1, now() - interval '2 days', now() - interval '2 days')", client);
        ResyncCheck.Outcome o = check.run().await().indefinitely();
        assertThat(o.reissued()).isZero();
        assertThat(o.issued()).isZero();
    }

    @Test
    void atMostMaxPerCheckRequestsAreIssuedOldestGapsFirst() {
        List<UUID> oldest = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            oldest.add(gapped((10 + i) + " days"));
        }
        for (int i = 0; i < 30; i++) {
            gapped("3 days");
        }
        ResyncCheck.Outcome first = check.run().await().indefinitely();
        assertThat(first.issued()).isEqualTo(50);
        for (UUID c : oldest) {
            assertThat(outstanding(c)).isEqualTo(1);
        }
        assertThat(check.run().await().indefinitely().issued()).isEqualTo(30);
    }

    @Test
    void twoInstancesCheckingAtOnceNeverIssueTwice() throws Exception {
        for (int i = 0; i < 40; i++) {
            gapped("3 days");
        }
        var a = check.run().subscribeAsCompletionStage();
        var b = check.run().subscribeAsCompletionStage();
        long issued = a.get().issued() + b.get().issued();
        assertThat(issued).isEqualTo(40);
        assertThat(count("SELECT count(*) FROM resync_request")).isEqualTo(40);
        assertThat(count("SELECT count(DISTINCT client_id) FROM resync_request")).isEqualTo(40);
    }

    @Test
    void outstandingCountsAreTheReferenceQueries() {
        UUID a = stats();
        UUID b = stats();
        sql("UPDATE client_message_stats SET last_resync_issued_time = now() WHERE client_id = $1", a);
        sql("UPDATE client_message_stats SET last_resync_issued_time = now(), last_resync_client_completed_time = now() - interval '1 day' WHERE client_id = $1", b);
        given().get("/api/v1/resync/outstanding").then().statusCode(200)
                .body("issuedNotCompleted", equalTo(1))
                .body("neverCompleted", equalTo(1));
    }

    @Test
    void checkNowIsAnAdminCall() {
        gapped("3 days");
        given().post("/api/v1/resync/check").then().statusCode(401).body("error", equalTo("unauthorized"));
        given().header("Authorization", "Bearer wrong").post("/api/v1/resync/check").then().statusCode(401);
        given().header("Authorization", ADMIN).post("/api/v1/resync/check").then().statusCode(200)
                .body("issued", equalTo(1)).body("reissued", equalTo(0));
    }

    @Test
    void forcingAResyncIssuesARequestTheRelayWillServe() {
        UUID client = stats();
        given().post("/api/v1/clients/{id}/resync", ClientId.format(client)).then().statusCode(401);
        given().header("Authorization", ADMIN).post("/api/v1/clients/{id}/resync", ClientId.format(client)).then()
                .statusCode(202).body("clientId", equalTo(ClientId.format(client))).body("reason", equalTo("forced"));
        given().header("Authorization", ADMIN).post("/api/v1/clients/{id}/resync", ClientId.format(client)).then()
                .statusCode(202).body("reissueCount", equalTo(1));

        given().get("/api/v1/resync/requests?client={id}", ClientId.format(client)).then().statusCode(200)
                .body("$", hasSize(1)).body("[0].clientId", equalTo(ClientId.format(client)));
        assertThat(outstanding(client)).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM client_message_stats WHERE client_id = $1 AND last_resync_issued_time IS NOT NULL", client)).isEqualTo(1);
    }

    @Test
    void aMalformedClientIsA400() {
        given().get("/api/v1/resync/requests?client=nope").then().statusCode(400);
        given().header("Authorization", ADMIN).post("/api/v1/clients/nope/resync").then().statusCode(400);
    }

    private UUID stats() {
        UUID c = UUID.randomUUID();
        sql("INSERT INTO client_message_stats (client_id, lowest_serial, highest_serial, messages) VALUES ($1, 1, 10, 8)", c);
        return c;
    }

    private UUID gapped(String age) {
        UUID c = stats();
        sql("INSERT INTO missing_range (client_id, first_serial, last_serial, detected_at) VALUES ($1, 5, 6, now() - $2::text::interval)", c, age);
        return c;
    }

    private long outstanding(UUID client) {
        return count("SELECT count(*) FROM resync_request WHERE client_id = $1 AND completed_at IS NULL", client);
    }

    private long count(String q, Object... args) {
        return sql(q, args).iterator().next().getLong(0);
    }

    private RowSet<Row> sql(String q, Object... args) {
        return pool.preparedQuery(q).execute(Tuple.from(args)).await().indefinitely();
    }
}
