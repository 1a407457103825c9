package io.statesys.service.http;

import java.time.Instant;
import java.time.OffsetDateTime;

/** JSON answers carry instants (UTC, ISO-8601); the database hands back offset times, possibly null. */
public final class Instants {
    private Instants() {
    }

    public static Instant instant(OffsetDateTime t) {
        return t == null ? null : t.toInstant();
    }
}
