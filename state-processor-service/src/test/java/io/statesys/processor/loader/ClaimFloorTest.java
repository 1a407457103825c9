package io.statesys.processor.loader;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class ClaimFloorTest {
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final ClaimFloor floor = new ClaimFloor(nanos::get, Duration.ofSeconds(1));

    @Test
    void theFirstClaimStartsFromTheBeginningAndTheNextOnesAfterWhatItFound() {
        assertThat(floor.from()).isZero();
        floor.claimed(0, 120);
        assertThat(floor.from()).isEqualTo(120);
        floor.claimed(120, 150);
        assertThat(floor.from()).isEqualTo(150);
    }

    @Test
    void aClaimFromTheBeginningIsDueAgainOnceARescanIntervalHasPassed() {
        assertThat(floor.from()).isZero();
        floor.claimed(0, 120);
        nanos.addAndGet(Duration.ofMillis(999).toNanos());
        assertThat(floor.from()).isEqualTo(120);
        nanos.addAndGet(Duration.ofMillis(1).toNanos());
        assertThat(floor.from()).isZero();
        assertThat(floor.from()).as("one rescan per interval, not one per caller").isEqualTo(120);
    }

    @Test
    void aFloorOnlyMovesUpButAScanFromTheBeginningSetsIt() {
        floor.from();
        floor.claimed(0, 500);
        floor.claimed(500, 300);
        assertThat(floor.from()).isEqualTo(500);
        floor.claimed(500, -1);
        assertThat(floor.from()).as("nothing claimed changes nothing").isEqualTo(500);
        floor.claimed(0, 7);
        assertThat(floor.from()).as("a restarted sequence brings the floor back").isEqualTo(7);
    }
}
