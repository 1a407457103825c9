package io.statesys.service.ingress;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReportsInFlightTest {
    @Test
    void bodiesAreAdmittedWhileTheyFitAndRefusedWhenTheyWouldNot() {
        ReportsInFlight r = new ReportsInFlight(100);
        assertThat(r.tryTake(60)).isTrue();
        assertThat(r.tryTake(30)).isTrue();
        assertThat(r.tryTake(11)).isFalse();
        assertThat(r.held()).isEqualTo(90);
        assertThat(r.tryTake(10)).isTrue();
        r.giveBack(60);
        assertThat(r.held()).isEqualTo(40);
        assertThat(r.tryTake(60)).isTrue();
    }

    @Test
    void aBodyLargerThanTheWholeBudgetIsAdmittedWhenNothingElseIsHeld() {
        ReportsInFlight r = new ReportsInFlight(100);
        assertThat(r.tryTake(500)).isTrue();
        assertThat(r.tryTake(1)).isFalse();
        r.giveBack(500);
        assertThat(r.held()).isZero();
        assertThat(r.tryTake(1)).isTrue();
    }

    @Test
    void theDefaultBudgetIsAnEighthOfTheHeap() {
        assertThat(ReportsInFlight.defaultBudget(112L << 20)).isEqualTo(14L << 20);
        assertThatThrownBy(() -> new ReportsInFlight(0)).isInstanceOf(IllegalArgumentException.class);
    }

    /** Many threads taking and giving back: the account never goes over the budget and ends at zero. */
    @Test
    void concurrentTakersNeverHoldMoreThanTheBudgetBesidesTheOneAlwaysAdmitted() throws Exception {
        ReportsInFlight r = new ReportsInFlight(1_000);
        long[] maxSeen = {0};
        Thread[] threads = new Thread[8];
        for (int t = 0; t < threads.length; t++) {
            long seed = 42 + t;
            threads[t] = new Thread(() -> {
                Random random = new Random(seed);
                for (int i = 0; i < 20_000; i++) {
                    long n = 1 + random.nextInt(400);
                    if (r.tryTake(n)) {
                        long now = r.held();
                        synchronized (maxSeen) {
                            maxSeen[0] = Math.max(maxSeen[0], now);
                        }
                        r.giveBack(n);
                    }
                }
            });
            threads[t].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        assertThat(r.held()).isZero();
        assertThat(maxSeen[0]).isLessThanOrEqualTo(1_000).isGreaterThan(0);
    }
}
