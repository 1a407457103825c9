package io.statesys.service.identity;

import java.time.Duration;
import java.time.format.DateTimeParseException;

/**
 * How long a new enrolment token is valid: an ISO-8601 duration, more than zero and at most
 * {@code statesys.identity.max-token-validity}; one day when not said. One rule for the API and
 * the console's form.
 */
public final class TokenValidity {
    public static final Duration DEFAULT = Duration.ofDays(1);

    private TokenValidity() {
    }

    /**
     * The validity {@code text} asks for ({@link #DEFAULT} when null or blank).
     *
     * @throws IllegalArgumentException saying what is wrong with it
     */
    public static Duration parse(String text, Duration max) {
        if (text == null || text.isBlank()) {
            return DEFAULT;
        }
        Duration d;
        try {
            d = Duration.parse(text.strip());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("not an ISO-8601 duration (P3D, PT12H)");
        }
        if (d.isNegative() || d.isZero() || d.compareTo(max) > 0) {
            throw new IllegalArgumentException("must be more than 0 and at most " + max);
        }
        return d;
    }
}
