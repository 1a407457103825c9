package io.statesys.core.report;

import static io.statesys.core.text.Abbreviation.abbreviate;

import java.util.Locale;
import java.util.UUID;

/**
 * A client's identity: {@code GUID:} followed by a UUID, compared case-insensitively. Stored as the
 * UUID; shown in the canonical upper-case form clients send.
 */
public final class ClientId {
    private static final String PREFIX = "GUID:";

    private ClientId() {
    }

    /** Parses {@code GUID:xxxxxxxx-…} (prefix and hex case-insensitive); the bare UUID is accepted too. */
    public static UUID parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("missing");
        }
        String t = text.trim();
        if (t.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            t = t.substring(PREFIX.length());
        }
        if (t.length() != 36 || t.charAt(8) != '-' || t.charAt(13) != '-' || t.charAt(18) != '-' || t.charAt(23) != '-') {
            throw new IllegalArgumentException("not GUID:<uuid>: '" + abbreviate(text) + "'");
        }
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            boolean hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
            if (!hex && c != '-') {
                throw new IllegalArgumentException("not GUID:<uuid>: '" + abbreviate(text) + "'");
            }
        }
        return UUID.fromString(t);
    }

    public static String format(UUID id) {
        return PREFIX + id.toString().toUpperCase(Locale.ROOT);
    }
}
