package io.statesys.processor.loader;

import io.quarkus.test.junit.QuarkusTest;
import io.statesys.core.report.ClientId;
import io.statesys.core.report.Sender;
import io.statesys.core.report.StateDetails;
import io.statesys.core.report.StateMessage;
import io.statesys.processor.InboxFixture;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static io.statesys.processor.InboxFixture.detection;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

/** Messages without serial numbers, StateDetails, site-system senders and priority, loaded against a real database. */
@QuarkusTest
class FieldReportsLoadingTest {
    private static final String KB = "21e49ac6-a273-4a61-9794-eb675bc743e5";
    private static final String SCRIPT = "7f1c0b7e-5d2a-4c3b-8e9f-0a1b2c3d4e5f";
    private static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");

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

    private static StateMessage scriptResult(int state, Instant at, String output) {
        return new StateMessage(at, null, 9003, SCRIPT, 0, state, 0, List.of(SCRIPT), output == null ? null : new StateDetails(1, output));
    }

    private static StateMessage serialLessDetection(int state, Instant at) {
        return new StateMessage(at, null, 500, KB, 3, state, 0, List.of("102"), null);
    }

    @Test
    void aMessageWithoutSerialIsStoredAndCountedButOpensNoGapAndIsNoDuplicate() {
        inbox.put(client, List.of(detection(1, "a", 2, T0), scriptResult(1, T0, "out"), detection(2, "b", 2, T0)));
        loader.drainNow();
        inbox.put(client, List.of(scriptResult(1, T0.plusSeconds(5), "out"), scriptResult(1, T0.plusSeconds(5), "out")));
        loader.drainNow();

        Row stats = inbox.stats(client);
        assertThat(stats.getLong("messages")).isEqualTo(2);
        assertThat(stats.getLong("serial_less")).isEqualTo(3);
        assertThat(stats.getLong("duplicates")).isZero();
        assertThat(stats.getLong("lowest_serial")).isEqualTo(1);
        assertThat(stats.getLong("highest_serial")).isEqualTo(2);
        assertThat(inbox.ranges(client)).isEmpty();
        Row state = inbox.state(client, 9003, SCRIPT);
        assertThat(state.getLong("serial_number")).isNull();
        assertThat(state.getOffsetDateTime("message_time").toInstant()).isEqualTo(T0.plusSeconds(5));
    }

    @Test
    void aClientThatOnlySendsSerialLessMessagesHasStatisticsButNoSerials() {
        inbox.put(client, List.of(scriptResult(1, T0, "x")));
        loader.drainNow();

        given().get("/api/v1/clients/{id}/serials", ClientId.format(client)).then().statusCode(200)
                .body("lowestSerial", nullValue()).body("highestSerial", nullValue())
                .body("messages", equalTo(0)).body("messagesWithoutSerial", equalTo(1)).body("missing.size()", equalTo(0));
    }

    @Test
    void atEqualMessageTimesAMessageWithSerialBeatsOneWithout() {
        inbox.put(client, List.of(detection(7, KB, 3, T0)));
        loader.drainNow();
        inbox.put(client, List.of(serialLessDetection(2, T0)));
        loader.drainNow();
        assertThat(inbox.state(client, 500, KB).getInteger("state_id")).isEqualTo(3);

        UUID other = UUID.randomUUID();
        inbox.put(other, List.of(serialLessDetection(2, T0), detection(7, KB, 3, T0), serialLessDetection(1, T0)));
        loader.drainNow();
        assertThat(inbox.state(other, 500, KB).getInteger("state_id")).isEqualTo(3);
    }

    @Test
    void aLaterSerialLessMessageReplacesAnOlderOneWithSerial() {
        inbox.put(client, List.of(detection(7, KB, 3, T0)));
        loader.drainNow();
        inbox.put(client, List.of(serialLessDetection(2, T0.plusSeconds(1))));
        loader.drainNow();

        Row state = inbox.state(client, 500, KB);
        assertThat(state.getInteger("state_id")).isEqualTo(2);
        assertThat(state.getLong("serial_number")).isNull();
    }

    @Test
    void ofTwoSerialLessMessagesWithEqualTimesTheLaterArrivalWins() {
        inbox.put(client, List.of(scriptResult(1, T0, "first")));
        loader.drainNow();
        inbox.put(client, List.of(scriptResult(2, T0, "second")));
        loader.drainNow();
        assertThat(inbox.state(client, 9003, SCRIPT).getString("details_data")).isEqualTo("second");

        UUID other = UUID.randomUUID();
        inbox.put(other, List.of(scriptResult(1, T0, "first"), scriptResult(2, T0, "second")));
        loader.drainNow();
        assertThat(inbox.state(other, 9003, SCRIPT).getString("details_data")).isEqualTo("second");
    }

    @Test
    void stateDetailsOfAHundredKilobytesAreKeptVerbatimAndServedWithTheLatestState() {
        String output = " " + "QUJD".repeat(25_600) + "==\n";
        inbox.put(client, List.of(scriptResult(1, T0, output), detection(1, KB, 2, T0)));
        loader.drainNow();

        given().get("/api/v1/clients/{id}/states", ClientId.format(client)).then().statusCode(200)
                .body("find { it.topicType == 9003 }.stateDetails.type", equalTo(1))
                .body("find { it.topicType == 9003 }.stateDetails.data", equalTo(output))
                .body("find { it.topicType == 9003 }.serialNumber", nullValue())
                .body("find { it.topicType == 500 }.stateDetails", nullValue())
                .body("find { it.topicType == 500 }.serialNumber", equalTo(1));
    }

    @Test
    void aNewerStateWithoutDetailsClearsTheOldDetails() {
        inbox.put(client, List.of(scriptResult(1, T0, "old output")));
        loader.drainNow();
        inbox.put(client, List.of(scriptResult(4, T0.plusSeconds(1), null)));
        loader.drainNow();

        Row state = inbox.state(client, 9003, SCRIPT);
        assertThat(state.getInteger("details_type")).isNull();
        assertThat(state.getString("details_data")).isNull();
    }

    @Test
    void aSiteSystemStaysDistinguishableInTheClientView() {
        inbox.put(client, List.of(new StateMessage(T0, 18L, 902, "PS100012", 0, 1, 0, List.of(), null)), 0,
                new Sender("5.00.9128.1000", 0, 1, 0, 1));
        loader.drainNow();

        given().get("/api/v1/clients/{id}", ClientId.format(client)).then().statusCode(200)
                .body("clientId", equalTo(ClientId.format(client)))
                .body("siteSystem", equalTo(true))
                .body("sender.clientInstalled", equalTo(0))
                .body("sender.idType", equalTo(0))
                .body("sender.idFlag", equalTo(1))
                .body("sender.clientVersion", equalTo("5.00.9128.1000"))
                .body("messages", equalTo(1));

        UUID ordinary = UUID.randomUUID();
        inbox.put(ordinary, List.of(detection(1, KB, 2, T0)), 0, new Sender("5.00.9128.1000", 1, 1, null, null));
        loader.drainNow();
        given().get("/api/v1/clients/{id}", ClientId.format(ordinary)).then().statusCode(200)
                .body("siteSystem", equalTo(false)).body("sender.clientInstalled", equalTo(1)).body("sender.idType", nullValue());
    }

    @Test
    void anUnknownClientHasNoClientView() {
        given().get("/api/v1/clients/{id}", ClientId.format(UUID.randomUUID())).then().statusCode(404)
                .body("error", equalTo("unknown_client"));
    }

    @Test
    void aHigherPriorityReportIsLoadedBeforeTheBacklogAheadOfIt() {
        List<UUID> backlog = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            UUID c = UUID.randomUUID();
            backlog.add(c);
            inbox.put(c, List.of(detection(1, KB, 2, T0)));
        }
        long urgent = inbox.put(client, List.of(detection(1, KB, 3, T0)), 5, Sender.UNKNOWN);

        loader.loadChunkNow();

        assertThat(inbox.count("SELECT count(*) FROM inbox WHERE id = $1", urgent)).isZero();
        assertThat(inbox.state(client, 500, KB).getInteger("state_id")).isEqualTo(3);
        assertThat(inbox.state(backlog.get(backlog.size() - 1), 500, KB)).as("the backlog's newest waits").isNull();
        loader.drainNow();
        assertThat(inbox.state(backlog.get(backlog.size() - 1), 500, KB)).isNotNull();
    }
}
