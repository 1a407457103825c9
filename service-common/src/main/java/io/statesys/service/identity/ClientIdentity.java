package io.statesys.service.identity;

import io.statesys.core.report.ClientId;

import java.time.Instant;
import java.util.Locale;
import java.util.UUID;

/** A registered client: its key and its standing. */
public record ClientIdentity(UUID clientId, String netbiosName, ClientKey key, Status status, Instant registeredAt,
                             Instant approvedAt, Instant blockedAt, Long approvedByToken, java.time.OffsetDateTime changedAt) {
    public enum Status {
        PENDING, APPROVED, BLOCKED;

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Status ofWire(String s) {
            return valueOf(s.toUpperCase(Locale.ROOT));
        }
    }

    /** The identity as the admin and registration calls answer it. */
    public record View(String clientId, String status, String keyFingerprint, String algorithm, Instant registeredAt,
                       Instant approvedAt, Instant blockedAt) {
    }

    public View view() {
        return new View(ClientId.format(clientId), status.wire(), key.fingerprint(), key.algorithm().alg(), registeredAt,
                approvedAt, blockedAt);
    }
}
