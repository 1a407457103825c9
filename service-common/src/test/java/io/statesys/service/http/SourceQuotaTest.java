package io.statesys.service.http;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SourceQuotaTest {
    @Test
    void aSourceHasItsQuotaEachMinuteAndOneSourceDoesNotUseAnothers() {
        SourceQuota quota = new SourceQuota(3);
        long minute = 1_000 * 60_000L;
        for (int i = 0; i < 3; i++) {
            assertThat(quota.take("10.0.0.1", minute + i)).isTrue();
        }
        assertThat(quota.take("10.0.0.1", minute + 59_000)).isFalse();
        assertThat(quota.take("10.0.0.2", minute + 59_000)).isTrue();
        assertThat(quota.take("10.0.0.1", minute + 60_000)).as("the next minute").isTrue();
    }
}
