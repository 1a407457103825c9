package io.statesys.service.identity;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TokenValidityTest {
    private static final Duration WEEK = Duration.ofDays(7);

    @ParameterizedTest
    @CsvSource(nullValues = "null", value = {"null, PT24H", "'', PT24H", "'  P3D ', PT72H", "PT12H, PT12H", "P7D, PT168H"})
    void anIsoDurationUpToTheMaximumIsTakenAndNothingMeansOneDay(String asked, Duration expected) {
        assertThat(TokenValidity.parse(asked, WEEK)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"P8D, must be more than 0 and at most PT168H", "PT0S, must be more than 0", "-P1D, must be more than 0",
            "three days, not an ISO-8601 duration"})
    void anythingElseIsRefusedSayingWhy(String asked, String why) {
        assertThatThrownBy(() -> TokenValidity.parse(asked, WEEK)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(why);
    }
}
