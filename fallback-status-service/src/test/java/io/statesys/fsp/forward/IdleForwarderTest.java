package io.statesys.fsp.forward;

import io.quarkus.test.junit.QuarkusTest;
import io.statesys.testing.Reports;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * An idle forwarder only reads: it used to take throttle budget and give it back on every idle
 * round (two committed updates, four rounds a second). The test empties the queue first, so it
 * holds only what the test puts there. The relay URL points where nothing listens.
 */
@QuarkusTest
class IdleForwarderTest {
    @Inject
    Forwarder forwarder;

    @Inject
    Pool pool;

    @BeforeEach
    void emptyQueue() {
        pool.query("TRUNCATE fsp_queue, fsp_signed_report").execute().await().indefinitely();
    }

    @Test
    void anIdleRoundTakesNoBudgetAndWritesNothingUntilAMessageIsDue() {
        assertThat(forwarder.forwardOnce()).isEqualTo(Forwarder.Round.IDLE);
        Row bucket = bucket();

        for (int i = 0; i < 5; i++) {
            assertThat(forwarder.forwardOnce()).isEqualTo(Forwarder.Round.IDLE);
        }
        assertThat(bucket().getString("version")).isEqualTo(bucket.getString("version"));
        assertThat(bucket().getOffsetDateTime("refilled_at")).isEqualTo(bucket.getOffsetDateTime("refilled_at"));

        // queued but backing off: still nothing to do
        Reports r = Reports.forNewClient().detections(1, 2, Instant.now());
        given().contentType("text/xml").body(r.utf16()).post("/api/v1/statemessages").then().statusCode(202);
        pool.preparedQuery("UPDATE fsp_queue SET next_attempt_at = now() + interval '1 hour' WHERE client_id = $1")
                .execute(Tuple.of(r.client())).await().indefinitely();
        Row queued = bucket();
        assertThat(forwarder.forwardOnce()).isEqualTo(Forwarder.Round.IDLE);
        assertThat(bucket().getString("version")).isEqualTo(queued.getString("version"));

        // due: the round takes budget and tries the (unreachable) relay
        pool.preparedQuery("UPDATE fsp_queue SET next_attempt_at = now() WHERE client_id = $1")
                .execute(Tuple.of(r.client())).await().indefinitely();
        assertThat(forwarder.forwardOnce()).isEqualTo(Forwarder.Round.RELAY_UNAVAILABLE);
        assertThat(bucket().getString("version")).isNotEqualTo(queued.getString("version"));
    }

    /** The throttle's bucket row with its row version (xmin changes with every update). */
    private Row bucket() {
        return pool.query("SELECT xmin::text AS version, refilled_at FROM fsp_throttle WHERE id = 1")
                .execute().await().indefinitely().iterator().next();
    }
}
