package io.statesys.core.codec;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MessageTimesTest {

    @Test
    void cimOffsetIsInMinutesEastOfUtc() {
        assertThat(MessageTimes.parse("20140120194656.903000+000")).isEqualTo(Instant.parse("2014-01-20T19:46:56.903Z"));
        assertThat(MessageTimes.parse("20140120194656.903000-300")).isEqualTo(Instant.parse("2014-01-21T00:46:56.903Z"));
    }

    @Test
    void cimFormatRoundTrips() {
        Instant t = Instant.parse("2026-11-24T10:14:58.123456Z");
        assertThat(MessageTimes.formatCim(t)).isEqualTo("20261124101458.123456+000");
        assertThat(MessageTimes.parse(MessageTimes.formatCim(t))).isEqualTo(t);
    }

    @Test
    void isoWithoutOffsetIsRefused() {
        assertThatThrownBy(() -> MessageTimes.parse("2026-11-24T10:14:58")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void impossibleCimDatesAreRefused() {
        assertThatThrownBy(() -> MessageTimes.parse("20261324101458.000000+000")).isInstanceOf(IllegalArgumentException.class);
    }
}
