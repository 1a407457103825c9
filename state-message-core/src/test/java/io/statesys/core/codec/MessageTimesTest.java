package io.statesys.core.codec;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Random;
import java.util.stream.LongStream;

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

    /** The fast paths must give what the general parsers give, or the same refusal. */
    private static void sameAsGeneral(String text) {
        Object general;
        try {
            general = MessageTimes.parseGeneral(text);
        } catch (IllegalArgumentException e) {
            general = "refused";
        }
        Object fast;
        try {
            fast = MessageTimes.parse(text);
        } catch (IllegalArgumentException e) {
            fast = "refused";
        }
        assertThat(fast).as("'%s'", text).isEqualTo(general);
    }

    static LongStream seeds() {
        return LongStream.range(0, 200).map(i -> Long.getLong("statesys.seed", i));
    }

    /** Random instants in every offset and precision, in both forms, some of them damaged. */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void fastPathsAgreeWithTheGeneralParsers(long seed) {
        Random r = new Random(seed);
        for (int i = 0; i < 200; i++) {
            Instant t = Instant.ofEpochSecond(r.nextLong(-62_000_000_000L, 250_000_000_000L), r.nextInt(1_000_000_000));
            int offsetMinutes = r.nextInt(-18 * 60, 18 * 60 + 1);
            OffsetDateTime local = t.atOffset(ZoneOffset.ofTotalSeconds(offsetMinutes * 60));
            String iso = local.toString();
            String cim = String.format("%04d%02d%02d%02d%02d%02d.%06d%c%03d", local.getYear(), local.getMonthValue(), local.getDayOfMonth(),
                    local.getHour(), local.getMinute(), local.getSecond(), local.getNano() / 1000, offsetMinutes < 0 ? '-' : '+', Math.abs(offsetMinutes));
            for (String text : new String[] {iso, cim, damage(iso, r), damage(cim, r), " " + iso + " "}) {
                sameAsGeneral(text);
            }
        }
    }

    private static String damage(String s, Random r) {
        char[] c = s.toCharArray();
        int at = r.nextInt(c.length);
        String pool = "0123456789:-+.TZtz 9";
        c[at] = pool.charAt(r.nextInt(pool.length()));
        return new String(c);
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-02-29T10:00:00Z", "2024-02-29T10:00:00Z", "2026-04-31T10:00:00Z", "2026-11-24T24:00:00Z",
            "2026-11-24T10:00:60Z", "2026-11-24T10:00:00.Z", "2026-11-24T10:00:00.1234567891Z", "2026-11-24t10:00:00z",
            "2026-11-24T10:00:00+18:00", "2026-11-24T10:00:00-18:00", "2026-11-24T10:00:00+18:01", "2026-11-24T10:00:00-00:00",
            "2026-11-24T10:00Z", "2026-11-24T10:00:00+05:30:15", "0000-01-01T00:00:00Z", "+12026-11-24T10:00:00Z",
            "20260229100000.000000+000", "20260431100000.000000+000", "20261124240000.000000+000", "00001124100000.000000+000",
            "20261124100000.000000+1080", "20261124100000.000000+1081", "20261124100000.-00001+000", "20261124100000.000000-999",
            "２０２６1124100000.000000+000"})
    void edgeCasesAgreeWithTheGeneralParsers(String text) {
        sameAsGeneral(text);
    }
}
