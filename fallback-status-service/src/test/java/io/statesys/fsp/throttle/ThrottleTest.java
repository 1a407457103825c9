package io.statesys.fsp.throttle;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** 50 messages per 5 s in the test profile: 10 per second, never a burst. */
@QuarkusTest
class ThrottleTest {
    @Inject
    Throttle throttle;

    @Test
    void theBudgetAccruesEvenlyAndIsNeverSpentInABurst() throws InterruptedException {
        Thread.sleep(300);
        assertThat(throttle.take(1000)).as("at most a tenth of a second's worth, at least one").isLessThanOrEqualTo(1);

        long granted = 0;
        long end = System.nanoTime() + 2_000_000_000L;
        while (System.nanoTime() < end) {
            granted += throttle.take(1000);
            Thread.sleep(5);
        }
        assertThat(granted).as("never more than the rate allows (10/s, bucket of one)").isLessThanOrEqualTo(21L)
                .as("and the budget does accrue").isGreaterThanOrEqualTo(14L);
    }

    @Test
    void unusedBudgetCanBeGivenBack() throws InterruptedException {
        Thread.sleep(150);
        int taken = throttle.take(5);
        throttle.giveBack(taken);
        assertThat(throttle.take(5)).isEqualTo(taken);
    }
}
