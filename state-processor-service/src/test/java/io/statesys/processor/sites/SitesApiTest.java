package io.statesys.processor.sites;

import io.quarkus.test.junit.QuarkusTest;
import io.statesys.core.report.ClientId;
import io.statesys.core.report.StateMessage;
import io.statesys.processor.InboxFixture;
import io.statesys.processor.loader.Loader;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.nullValue;

/**
 * The sites this site knows, as replication leaves them in table {@code site} (rows written here
 * stand for heartbeats replicated up from descendants), and the views over a client that moved.
 */
@QuarkusTest
class SitesApiTest {
    @Inject
    InboxFixture inbox;

    @Inject
    Loader loader;

    @AfterEach
    void forgetOtherSites() {
        inbox.query("DELETE FROM site WHERE site_code <> own_site()", Tuple.tuple());
    }

    @Test
    void eachDescendantIsActiveDegradedOrFailedByTheAgeOfItsLastHeartbeatAndThisSiteIsSelf() {
        inbox.query("""
                INSERT INTO site (site_code, parent_code, beat_at) VALUES
                    ('PS1', 'S01', now() - interval '2 seconds'),
                    ('PS2', 'S01', now() - interval '45 seconds'),
                    ('PS3', 'S01', now() - interval '20 minutes'),
                    ('SE1', 'PS1', now() - interval '1 second')""", Tuple.tuple());

        given().get("/api/v1/sites").then().statusCode(200)
                .body("find { it.siteCode == 'S01' }.role", equalTo("self"))
                .body("find { it.siteCode == 'S01' }.status", equalTo("active"))
                .body("find { it.siteCode == 'S01' }.parent", nullValue())
                .body("find { it.siteCode == 'PS1' }.role", equalTo("child"))
                .body("find { it.siteCode == 'PS1' }.status", equalTo("active"))
                .body("find { it.siteCode == 'PS1' }.lagSeconds", lessThan(30f))
                .body("find { it.siteCode == 'PS2' }.status", equalTo("degraded"))
                .body("find { it.siteCode == 'PS2' }.lagSeconds", greaterThan(44f))
                .body("find { it.siteCode == 'PS3' }.status", equalTo("failed"))
                .body("find { it.siteCode == 'SE1' }.role", equalTo("descendant"))
                .body("find { it.siteCode == 'SE1' }.parent", equalTo("PS1"));

        // the gauge follows at the next heartbeat (every second)
        String gauge = "statesys_site_replication_lag_seconds{site=\"PS2\"}";
        long deadline = System.nanoTime() + 10_000_000_000L;
        String metrics = "";
        while (!metrics.contains(gauge) && System.nanoTime() < deadline) {
            metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        }
        org.assertj.core.api.Assertions.assertThat(metrics).contains(gauge);
    }

    @Test
    void aClientThatMovedIsAnsweredFromTheSiteItReportedToLastWithItsSiteCode() {
        UUID client = UUID.randomUUID();
        Instant t = Instant.now().minusSeconds(60);
        inbox.put(client, List.of(new StateMessage(t, 7, 500, "kb-moved", 3, 2, 0, List.of())));
        loader.drainNow();
        // the same client as replicated up from PS1, where it reported before (older last_seen)
        inbox.query("""
                INSERT INTO client_message_stats (client_id, site_code, lowest_serial, highest_serial, messages, last_seen)
                VALUES ($1, 'PS1', 1, 3, 3, now() - interval '1 day')""", Tuple.of(client));
        inbox.query("""
                INSERT INTO topic_state (client_id, site_code, topic_type, topic_id, topic_key, id_type, state_id, message_time, serial_number)
                VALUES ($1, 'PS1', 500, 'kb-old', topic_key(500, 'kb-old'), 3, 3, now() - interval '1 day', 3)""", Tuple.of(client));

        given().get("/api/v1/clients/{id}/serials", ClientId.format(client)).then().statusCode(200)
                .body("siteCode", equalTo("S01"))
                .body("highestSerial", equalTo(7));
        given().get("/api/v1/clients/{id}/states", ClientId.format(client)).then().statusCode(200)
                .body("size()", equalTo(1))
                .body("[0].siteCode", equalTo("S01"))
                .body("[0].topicId", equalTo("kb-moved"));
        given().get("/api/v1/clients/{id}", ClientId.format(client)).then().statusCode(200)
                .body("siteCode", equalTo("S01"));
    }
}
