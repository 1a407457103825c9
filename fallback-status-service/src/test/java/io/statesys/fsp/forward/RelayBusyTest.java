package io.statesys.fsp.forward;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RelayBusyTest {
    @Test
    void onlyA503WithTheBusyErrorIsBusy() {
        assertThatThrownBy(() -> RelayGateway.RelayBusy.check(503, "{\"error\":\"busy\",\"detail\":\"x\"}", "3"))
                .isInstanceOfSatisfying(RelayGateway.RelayBusy.class, b -> assertThat(b.retryAfter()).isEqualTo(Duration.ofSeconds(3)));
        assertThatCode(() -> RelayGateway.RelayBusy.check(503, "{\"error\":\"database_unavailable\"}", "1")).doesNotThrowAnyException();
        assertThatCode(() -> RelayGateway.RelayBusy.check(503, "<html>Service Unavailable</html>", null)).doesNotThrowAnyException();
        assertThatCode(() -> RelayGateway.RelayBusy.check(503, "", "1")).doesNotThrowAnyException();
        assertThatCode(() -> RelayGateway.RelayBusy.check(400, "{\"error\":\"busy\"}", "1")).doesNotThrowAnyException();
    }

    @Test
    void aRetryAfterThatIsMissingOrNotDeltaSecondsIsASecondAndNoneIsLongerThanAMinute() {
        assertThat(RelayGateway.RelayBusy.retryAfter(null)).isEqualTo(Duration.ofSeconds(1));
        assertThat(RelayGateway.RelayBusy.retryAfter("Wed, 21 Oct 2026 07:28:00 GMT")).isEqualTo(Duration.ofSeconds(1));
        assertThat(RelayGateway.RelayBusy.retryAfter("-4")).isEqualTo(Duration.ofSeconds(1));
        assertThat(RelayGateway.RelayBusy.retryAfter(" 0 ")).isEqualTo(Duration.ZERO);
        assertThat(RelayGateway.RelayBusy.retryAfter("86400")).isEqualTo(Duration.ofSeconds(60));
    }
}
