package io.statesys.processor.serials;

import io.statesys.testing.Seeds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import java.util.stream.LongStream;

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

    /** 500 seeded interleavings (see {@link Seeds}: a failure names its seed). */
    static LongStream seeds() {
        return Seeds.of(500, 0x5E41A1L * 31);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void agreesWithTheSetModelForAnyInterleaving(long seed) {
        List<Arrival> arrivals = arrivals(new Random(seed));
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

    /** 1–80 arrivals of serials 0–60, about one in 31 the resync-complete message. */
    static List<Arrival> arrivals(Random random) {
        int n = 1 + random.nextInt(80);
        List<Arrival> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(new Arrival(random.nextInt(61), random.nextInt(31) == 0));
        }
        return out;
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
