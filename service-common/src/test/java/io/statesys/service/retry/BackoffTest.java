package io.statesys.service.retry;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BackoffTest {
    private final Backoff backoff = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(60));

    @Test
    void theCeilingDoublesFromTheBaseUpToTheCap() {
        assertThat(backoff.ceilingMillis(0)).isEqualTo(500);
        assertThat(backoff.ceilingMillis(1)).isEqualTo(1000);
        assertThat(backoff.ceilingMillis(6)).isEqualTo(32_000);
        assertThat(backoff.ceilingMillis(7)).isEqualTo(60_000);
        assertThat(backoff.ceilingMillis(1000)).isEqualTo(60_000);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 3, 8, 40, Integer.MAX_VALUE})
    void everyDelayLiesBetweenHalfTheCeilingAndTheCeiling(int failures) {
        long ceiling = backoff.ceilingMillis(failures);
        for (int i = 0; i < 200; i++) {
            assertThat(backoff.delayMillis(failures)).isBetween(ceiling / 2, ceiling);
        }
    }

    @Test
    void delaysAreJittered() {
        long first = backoff.delayMillis(5);
        boolean differs = false;
        for (int i = 0; i < 50 && !differs; i++) {
            differs = backoff.delayMillis(5) != first;
        }
        assertThat(differs).isTrue();
    }

    @Test
    void aCapBelowTheBaseIsRefused() {
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
    }
}
