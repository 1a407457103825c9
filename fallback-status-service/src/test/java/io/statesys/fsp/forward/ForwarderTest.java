package io.statesys.fsp.forward;

import io.quarkus.test.junit.QuarkusTest;
import io.statesys.testing.Reports;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.notNullValue;

/** The test profile's relay URL points where nothing listens. */
@QuarkusTest
class ForwarderTest {
    @Inject
    Forwarder forwarder;

    @Inject
    Pool pool;

    @Test
    void anUnreachableRelayKeepsTheMessagesQueuedForALaterRetry() throws InterruptedException {
        Reports r = Reports.forNewClient().detections(1, 3, Instant.now());
        given().contentType("text/xml").body(r.utf16()).post("/api/v1/statemessages").then().statusCode(202);

        Forwarder.Round round = Forwarder.Round.THROTTLED;
        for (int i = 0; i < 50 && round != Forwarder.Round.RELAY_UNAVAILABLE; i++) {
            Thread.sleep(100);
            round = forwarder.forwardOnce();
        }
        assertThat(round).isEqualTo(Forwarder.Round.RELAY_UNAVAILABLE);
        Row row = pool.preparedQuery("SELECT count(*) AS n, max(attempts) AS attempts, bool_or(next_attempt_at > now()) AS later FROM fsp_queue WHERE client_id = $1")
                .execute(Tuple.of(r.client())).await().indefinitely().iterator().next();
        assertThat(row.getLong("n")).isEqualTo(3);
        assertThat(row.getInteger("attempts")).isGreaterThanOrEqualTo(1);
        assertThat(row.getBoolean("later")).isTrue();
        given().get("/api/v1/fsp/status").then().statusCode(200).body("lastError", notNullValue());
    }
}
