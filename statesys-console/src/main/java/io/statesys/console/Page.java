package io.statesys.console;

import io.quarkus.qute.TemplateData;
import io.statesys.console.session.ConsoleSession;
import jakarta.ws.rs.container.ContainerRequestContext;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * What every console page shows around its view: its title, who is signed in and whether they may
 * act (and the CSRF token their forms carry), the time its figures are as of, and the outcome of the
 * action that led here.
 */
@TemplateData
public record Page(String title, String section, String actor, String role, boolean canAct, String csrf, String asOf,
                   String flash) {
    private static final DateTimeFormatter SHOWN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    /** {@code asOf} as the view's JSON twin gives it (ISO-8601). */
    public static Page of(ContainerRequestContext request, String title, String section, String asOf, String flash) {
        ConsoleSession s = ConsoleSession.of(request);
        return new Page(title, section, s.actor(), s.role().name().toLowerCase(Locale.ROOT), s.canAct(),
                s.csrf() == null ? "" : s.csrf(), asOf == null ? "" : SHOWN.format(Instant.parse(asOf)), flash);
    }

    /** Times on pages and in the JSON twins: ISO-8601, UTC, to the second. */
    public static String time(Instant t) {
        return t == null ? null : DateTimeFormatter.ISO_INSTANT.format(t.truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
    }

    public static String time(java.time.OffsetDateTime t) {
        return t == null ? null : time(t.toInstant());
    }
}
