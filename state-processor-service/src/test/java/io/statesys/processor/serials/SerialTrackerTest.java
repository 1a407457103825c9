package io.statesys.processor.serials;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

class SerialTrackerTest {
    private static final Instant NOW = Instant.parse("2026-11-25T00:00:00Z");

    @Test
    void aSerialBelowTheBaselineOpensTheGapBetween() {
        SerialTracker t = SerialTracker.empty();
        t.receive(10, NOW);
        t.receive(7, NOW);
        assertThat(t.ranges()).containsExactly(new MissingRange(8, 9, NOW));
        assertThat(t.lowest()).isEqualTo(7);
    }

    @Test
    void splitRangesKeepTheirDetectionTime() {
        Instant early = NOW.minusSeconds(3600);
        SerialTracker t = new SerialTracker(1, 10, 2, 0, List.of(new MissingRange(2, 9, early)));
        t.receive(5, NOW);
        assertThat(t.ranges()).containsExactly(new MissingRange(2, 4, early), new MissingRange(6, 9, early));
    }

    /** One arrival: a serial, or (when {@code resync}) the resync-complete message at that serial. */
    record Arrival(long serial, boolean resync) {
    }

    @Property(tries = 500)
    void agreesWithTheSetModelForAnyInterleaving(@ForAll("arrivals") List<Arrival> arrivals) {
        SerialTracker tracker = SerialTracker.empty();
        TreeSet<Long> received = new TreeSet<>();
        long duplicates = 0;
        long messages = 0;
        for (Arrival a : arrivals) {
            boolean isNew = tracker.receive(a.serial(), NOW);
            boolean modelNew = !received.contains(a.serial());
            assertThat(isNew).isEqualTo(modelNew);
            if (modelNew) {
                received.add(a.serial());
                messages++;
                if (a.resync()) {
                    tracker.resyncCompleted(a.serial());
                    for (long s = received.first(); s < a.serial(); s++) {
                        received.add(s);
                    }
                }
            } else {
                duplicates++;
            }
        }
        assertThat(tracker.messages()).isEqualTo(messages);
        assertThat(tracker.duplicates()).isEqualTo(duplicates);
        assertThat(tracker.lowest()).isEqualTo(received.first());
        assertThat(tracker.highest()).isEqualTo(received.last());
        assertThat(ranges(tracker)).isEqualTo(complement(received));
    }

    @Provide
    Arbitrary<List<Arrival>> arrivals() {
        Arbitrary<Arrival> one = Arbitraries.longs().between(0, 60).flatMap(s ->
                Arbitraries.integers().between(0, 30).map(r -> new Arrival(s, r == 0)));
        return one.list().ofMinSize(1).ofMaxSize(80);
    }

    private static List<List<Long>> ranges(SerialTracker t) {
        List<List<Long>> out = new ArrayList<>();
        for (MissingRange r : t.ranges()) {
            out.add(List.of(r.first(), r.last()));
        }
        return out;
    }

    private static List<List<Long>> complement(TreeSet<Long> received) {
        List<List<Long>> out = new ArrayList<>();
        Long start = null;
        for (long s = received.first(); s <= received.last(); s++) {
            if (!received.contains(s)) {
                if (start == null) {
                    start = s;
                }
            } else if (start != null) {
                out.add(List.of(start, s - 1));
                start = null;
            }
        }
        return out;
    }
}
