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
 *
 * <p>Every message carries one, so parsing is on the ingest's hot path: {@code java.time}'s
 * general parser (resolving fields, cross-checking, building {@code Parsed} objects) was a fifth of
 * the relay's CPU. The common shapes — CIM exactly, ISO {@code yyyy-MM-ddTHH:mm:ss[.f…]} with
 * {@code Z} or {@code ±HH:MM} — are read by hand when every field is plainly in range; anything
 * else goes to the general parsers, which stay the definition (a generated test holds the two
 * paths equal).
 */
public final class MessageTimes {
    private static final DateTimeFormatter CIM_LOCAL = DateTimeFormatter.ofPattern("yyyyMMddHHmmss");

    private MessageTimes() {
    }

    public static Instant parse(String text) {
        String t = text.trim();
        if (t.length() == 25 && t.charAt(14) == '.' && (t.charAt(21) == '+' || t.charAt(21) == '-')) {
            Instant fast = fastCim(t);
            return fast != null ? fast : parseCim(t);
        }
        Instant fast = fastIso(t);
        return fast != null ? fast : parseGeneral(t);
    }

    /** The general path alone (the definition the fast paths are tested against). */
    static Instant parseGeneral(String text) {
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

    /** {@code yyyyMMddHHmmss.ffffff±UUU} with every field plainly in range, or null (the general path decides). */
    static Instant fastCim(String t) {
        int year = digits(t, 0, 4);
        int month = digits(t, 4, 2);
        int day = digits(t, 6, 2);
        int hour = digits(t, 8, 2);
        int minute = digits(t, 10, 2);
        int second = digits(t, 12, 2);
        int micros = digits(t, 15, 6);
        int offset = digits(t, 22, 3);
        if ((year | month | day | hour | minute | second | micros | offset) < 0 || year == 0 || offset > 18 * 60) {
            return null;
        }
        if (t.charAt(21) == '-') {
            offset = -offset;
        }
        return instant(year, month, day, hour, minute, second, micros * 1000, offset * 60);
    }

    /** {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}]} then {@code Z} or {@code ±HH:MM}, fields plainly in range; else null. */
    static Instant fastIso(String t) {
        int n = t.length();
        if (n < 20 || t.charAt(4) != '-' || t.charAt(7) != '-' || t.charAt(10) != 'T' || t.charAt(13) != ':' || t.charAt(16) != ':') {
            return null;
        }
        int year = digits(t, 0, 4);
        int month = digits(t, 5, 2);
        int day = digits(t, 8, 2);
        int hour = digits(t, 11, 2);
        int minute = digits(t, 14, 2);
        int second = digits(t, 17, 2);
        if ((year | month | day | hour | minute | second) < 0) {
            return null;
        }
        int i = 19;
        int nanos = 0;
        if (t.charAt(i) == '.') {
            int start = ++i;
            while (i < n && i - start < 9 && t.charAt(i) >= '0' && t.charAt(i) <= '9') {
                nanos = nanos * 10 + (t.charAt(i) - '0');
                i++;
            }
            if (i == start) {
                return null;
            }
            for (int k = i - start; k < 9; k++) {
                nanos *= 10;
            }
        }
        int offsetSeconds;
        if (i == n - 1 && t.charAt(i) == 'Z') {
            offsetSeconds = 0;
        } else if (i == n - 6 && (t.charAt(i) == '+' || t.charAt(i) == '-') && t.charAt(i + 3) == ':') {
            int oh = digits(t, i + 1, 2);
            int om = digits(t, i + 4, 2);
            if ((oh | om) < 0 || oh > 17 || om > 59) {
                return null;
            }
            offsetSeconds = (oh * 3600 + om * 60) * (t.charAt(i) == '-' ? -1 : 1);
        } else {
            return null;
        }
        return instant(year, month, day, hour, minute, second, nanos, offsetSeconds);
    }

    /** The instant, or null when a field is out of its plain range (the general parser then decides). */
    private static Instant instant(int year, int month, int day, int hour, int minute, int second, int nanos, int offsetSeconds) {
        if (month < 1 || month > 12 || day < 1 || day > 28 && day > java.time.YearMonth.of(year, month).lengthOfMonth()
                || hour > 23 || minute > 59 || second > 59) {
            return null;
        }
        long epochDay = java.time.LocalDate.of(year, month, day).toEpochDay();
        return Instant.ofEpochSecond(epochDay * 86_400 + hour * 3600L + minute * 60L + second - offsetSeconds, nanos);
    }

    /** {@code count} ASCII digits at {@code from} as a number, or -1. */
    private static int digits(String t, int from, int count) {
        int v = 0;
        for (int i = from; i < from + count; i++) {
            char c = t.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
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
