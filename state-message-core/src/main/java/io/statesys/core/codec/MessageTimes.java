package io.statesys.core.codec;

import static io.statesys.core.text.Abbreviation.abbreviate;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/**
 * The two time forms clients use: ISO-8601 with an offset or {@code Z}, and the WMI/CIM datetime
 * {@code yyyyMMddHHmmss.ffffff±UUU} where ±UUU is the offset from UTC in minutes.
 */
public final class MessageTimes {
    private static final DateTimeFormatter CIM_LOCAL = DateTimeFormatter.ofPattern("yyyyMMddHHmmss");

    private MessageTimes() {
    }

    public static Instant parse(String text) {
        String t = text.trim();
        if (t.length() == 25 && t.charAt(14) == '.' && (t.charAt(21) == '+' || t.charAt(21) == '-')) {
            return parseCim(t);
        }
        try {
            return OffsetDateTime.parse(t, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("not an ISO-8601 time with offset nor a CIM datetime: '" + abbreviate(t) + "'");
        }
    }

    private static Instant parseCim(String t) {
        try {
            LocalDateTime local = LocalDateTime.parse(t.substring(0, 14), CIM_LOCAL);
            int micros = Integer.parseInt(t.substring(15, 21));
            int offsetMinutes = Integer.parseInt(t.substring(22, 25));
            if (t.charAt(21) == '-') {
                offsetMinutes = -offsetMinutes;
            }
            if (micros < 0 || offsetMinutes < -18 * 60 || offsetMinutes > 18 * 60) {
                throw new IllegalArgumentException("CIM datetime out of range: '" + t + "'");
            }
            return local.plusNanos(micros * 1000L).toInstant(ZoneOffset.ofTotalSeconds(offsetMinutes * 60));
        } catch (DateTimeParseException | NumberFormatException e) {
            throw new IllegalArgumentException("not a CIM datetime yyyyMMddHHmmss.ffffff±UUU: '" + t + "'");
        }
    }

    /** ISO-8601 in UTC, microsecond precision (what the CIM form can carry). */
    public static String formatIso(Instant instant) {
        return DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.MICROS));
    }

    /** CIM form in UTC ({@code +000}), as real clients stamp the report Date. */
    public static String formatCim(Instant instant) {
        LocalDateTime utc = LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
        return CIM_LOCAL.format(utc) + '.' + String.format("%06d", utc.getNano() / 1000) + "+000";
    }
}
