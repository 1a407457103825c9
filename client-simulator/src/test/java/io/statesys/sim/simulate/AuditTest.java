package io.statesys.sim.simulate;

import io.statesys.core.report.StateMessage;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The audit's rule for sends that got no answer: the server may count them twice, and nothing else may differ. */
class AuditTest {
    private static final UUID CLIENT = UUID.fromString("2b6c1d4e-7a0f-4c55-9e1b-0f3c2a9d8e71");
    private static final Instant T = Instant.parse("2026-11-30T10:00:00Z");

    private static StateMessage m(long serial) {
        return new StateMessage(T.plusSeconds(serial), serial, 500, "u" + serial, 3, 2, 0, List.of());
    }

    /** lowest, highest, messages, duplicates, serial-less — as client_message_stats holds them. */
    private static long[] stats(long duplicates, long serialLess) {
        return new long[] {1, 3, 3, duplicates, serialLess};
    }

    private static Map<String, long[]> states() {
        return Map.of("500/u1", new long[] {2, 1}, "500/u2", new long[] {2, 2}, "500/u3", new long[] {2, 3});
    }

    @Test
    void aDuplicateTheLedgerDidNotSeeIsADifference() {
        assertThat(Audit.check(CLIENT, List.of(m(1), m(2), m(3)), stats(1, 0), List.of(), states()))
                .singleElement().asString().contains("duplicates 1, expected 0");
    }

    @Test
    void aSendWithoutAnAnswerMayHaveBeenCommittedSoItsMessagesMayCountTwice() {
        long[] uncertain = {2, 0};
        assertThat(Audit.check(CLIENT, List.of(m(1), m(2), m(3)), stats(1, 0), List.of(), states(), uncertain)).isEmpty();
        assertThat(Audit.check(CLIENT, List.of(m(1), m(2), m(3)), stats(2, 0), List.of(), states(), uncertain)).isEmpty();
        assertThat(Audit.check(CLIENT, List.of(m(1), m(2), m(3)), stats(3, 0), List.of(), states(), uncertain))
                .singleElement().asString().contains("duplicates 3, expected 0 to 2");
    }

    @Test
    void serialLessMessagesSentWithoutAnAnswerMayCountTwiceToo() {
        StateMessage script = new StateMessage(T, null, 9003, "script", 0, 1, 0, List.of(), null);
        Map<String, long[]> states = new java.util.HashMap<>(states());
        states.put("9003/script", new long[] {1, Audit.NONE});
        List<StateMessage> arrived = List.of(m(1), m(2), m(3), script);
        assertThat(Audit.check(CLIENT, arrived, stats(0, 2), List.of(), states, new long[] {0, 1})).isEmpty();
        assertThat(Audit.check(CLIENT, arrived, stats(0, 2), List.of(), states, new long[] {0, 0})).isNotEmpty();
    }

    @Test
    void unsignedDeliveriesCountWithoutSerialsAndYieldToTheSignedStateOfTheirTopic() {
        // deployment through the FSP before the client had a key: serials 1-2 unsigned, a later one (3) signed
        StateMessage d1 = new StateMessage(T.plusSeconds(100), 1L, 800, "deploy", 0, 1, 0, List.of(), null);
        StateMessage d2 = new StateMessage(T.plusSeconds(200), 2L, 800, "other", 0, 1, 0, List.of(), null);
        StateMessage signed = new StateMessage(T, 3L, 800, "deploy", 0, 2, 0, List.of(), null);
        List<StateMessage> arrived = List.of(d1, d2, signed);
        long[] stats = {3, 3, 1, 0, 2};
        Map<String, long[]> states = Map.of("800/deploy", new long[] {2, 3}, "800/other", new long[] {1, Audit.NONE});
        assertThat(Audit.check(CLIENT, arrived, List.of(d1, d2), stats, List.of(), states, new long[2])).isEmpty();
        // had they been taken as signed, serials 1-3 and the newer unsigned state would have been expected
        assertThat(Audit.check(CLIENT, arrived, List.of(), stats, List.of(), states, new long[2])).isNotEmpty();
    }
}
