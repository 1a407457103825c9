package io.statesys.processor.loader;

import io.quarkus.test.junit.QuarkusTest;
import io.statesys.core.report.ClientId;
import io.statesys.core.report.Sender;
import io.statesys.core.report.StateMessage;
import io.statesys.processor.InboxFixture;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static io.statesys.processor.InboxFixture.detection;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * What the FSP took without a signature (its door for clients without a key) is nobody's word: it
 * takes no part in serial tracking, never speaks for a registered client's sender fields, is marked
 * unsigned in the views, and yields to the first signed message of the same topic.
 */
@QuarkusTest
class UnsignedReportsTest {
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    private static final Sender FORGED = new Sender("9.9.9.9", 1, 1, 0, 0);
    private static final Sender GENUINE = new Sender("5.00.9135.1000", 1, 1, 0, 0);

    @Inject
    Loader loader;

    @Inject
    InboxFixture inbox;

    private UUID client;

    @BeforeEach
    void newClient() {
        client = UUID.randomUUID();
        loader.drainNow();
    }

    static StateMessage deployment(long serial, String topic, int state, Instant at) {
        return new StateMessage(at, serial, 800, topic, 0, state, 0, List.of());
    }

    @Test
    void forgedUnsignedSerialsOfARegisteredClientNeitherSwallowItsGenuineSerialsNorOpenAGap() {
        inbox.register(client);
        inbox.put(client, List.of(detection(1, "kb-1", 2, T0), detection(2, "kb-2", 2, T0), detection(3, "kb-3", 2, T0)), 0, GENUINE);
        loader.drainNow();
        inbox.putUnsigned(client, List.of(deployment(4, "d", 1, T0), deployment(5, "d", 1, T0), deployment(9_000_000_000L, "e", 1, T0)),
                "FORGED", FORGED);
        loader.drainNow();
        inbox.put(client, List.of(detection(4, "kb-4", 3, T0), detection(5, "kb-5", 3, T0)), 0, GENUINE);
        loader.drainNow();

        Row stats = inbox.stats(client);
        assertThat(stats.getLong("highest_serial")).isEqualTo(5);
        assertThat(stats.getLong("duplicates")).isZero();
        assertThat(stats.getLong("serial_less")).isEqualTo(3);
        assertThat(inbox.ranges(client)).isEmpty();
        assertThat(inbox.state(client, 500, "kb-5").getInteger("state_id")).isEqualTo(3);
        Row forged = inbox.state(client, 800, "e");
        assertThat(forged.getBoolean("unsigned")).isTrue();
        assertThat(forged.getLong("serial_number")).isNull();
    }

    @Test
    void unsignedReportsSetNoSenderFieldNorLastSeenOfARegisteredClient() {
        inbox.register(client);
        inbox.put(client, List.of(detection(1, "kb-1", 2, T0)), 0, GENUINE);
        loader.drainNow();
        Instant seen = inbox.stats(client).getOffsetDateTime("last_seen").toInstant();
        inbox.putUnsigned(client, List.of(deployment(2, "d", 1, T0)), "FORGED", FORGED);
        loader.drainNow();

        Row stats = inbox.stats(client);
        assertThat(stats.getString("netbios_name")).isEqualTo("WKS-TEST");
        assertThat(stats.getString("client_version")).isEqualTo(GENUINE.clientVersion());
        assertThat(stats.getOffsetDateTime("last_seen").toInstant()).isEqualTo(seen);
    }

    @Test
    void aClientWithoutAKeyIsKnownByItsUnsignedReportsUntilItsFirstSignedOneSupersedesThem() {
        // deployment: the client has no key yet; its unsigned report is all the site knows of it
        inbox.putUnsigned(client, List.of(deployment(7, "client-deployment", 2, T0.plusSeconds(86_400))), "WKS-NEW", GENUINE);
        loader.drainNow();
        assertThat(inbox.stats(client).getString("netbios_name")).isEqualTo("WKS-NEW");
        String path = "/api/v1/clients/" + ClientId.format(client) + "/states";
        given().get(path).then().statusCode(200).body("[0].unsigned", equalTo(true)).body("[0].serialNumber", equalTo(null));

        // it registers and signs: its own state wins though older than what the unsigned one claimed
        inbox.register(client);
        inbox.put(client, List.of(deployment(1, "client-deployment", 1, T0)), 0, GENUINE);
        loader.drainNow();
        given().get(path).then().statusCode(200).body("[0].unsigned", equalTo(false)).body("[0].stateId", equalTo(1))
                .body("[0].serialNumber", equalTo(1));
        assertThat(inbox.stats(client).getLong("highest_serial")).isEqualTo(1);

        // and nothing unsigned replaces it any more, however new it claims to be
        inbox.putUnsigned(client, List.of(deployment(8, "client-deployment", 4, T0.plusSeconds(999_999))), "FORGED", FORGED);
        loader.drainNow();
        Row state = inbox.state(client, 800, "client-deployment");
        assertThat(state.getInteger("state_id")).isEqualTo(1);
        assertThat(state.getBoolean("unsigned")).isFalse();
    }

    @Test
    void aSignedAndAnUnsignedMessageOfOneTopicInOneChunkLeaveTheSignedOne() {
        inbox.putUnsigned(client, List.of(deployment(9, "d", 4, T0.plusSeconds(600))), "FORGED", FORGED);
        inbox.put(client, List.of(deployment(1, "d", 1, T0)), 0, GENUINE);
        loader.drainNow();
        Row state = inbox.state(client, 800, "d");
        assertThat(state.getInteger("state_id")).isEqualTo(1);
        assertThat(state.getBoolean("unsigned")).isFalse();
    }

    @Test
    void aReplayedReportOfDuplicatesMovesNeitherLastSeenNorTheSenderFields() {
        inbox.put(client, List.of(detection(1, "kb-1", 2, T0)), 0, new Sender("1.0", 1, 1, 0, 0));
        inbox.put(client, List.of(detection(2, "kb-1", 3, T0.plusSeconds(60))), 0, GENUINE);
        loader.drainNow();
        Instant seen = inbox.stats(client).getOffsetDateTime("last_seen").toInstant();
        inbox.query("UPDATE client_message_stats SET netbios_name = 'WKS-NOW' WHERE client_id = '" + client + "'");

        inbox.put(client, List.of(detection(1, "kb-1", 2, T0)), 0, new Sender("1.0", 1, 1, 0, 0));
        loader.drainNow();
        Row stats = inbox.stats(client);
        assertThat(stats.getLong("duplicates")).isEqualTo(1);
        assertThat(stats.getString("client_version")).isEqualTo(GENUINE.clientVersion());
        assertThat(stats.getString("netbios_name")).isEqualTo("WKS-NOW");
        assertThat(stats.getOffsetDateTime("last_seen").toInstant()).isEqualTo(seen);
    }
}
