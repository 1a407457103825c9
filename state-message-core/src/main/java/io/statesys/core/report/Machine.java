package io.statesys.core.report;

import java.util.Objects;
import java.util.UUID;

/** The report header's identification of the sending client. Only {@code clientId} is required. */
public record Machine(UUID clientId, String netbiosName, String clientVersion, Integer codePage, Integer systemDefaultLcid) {
    public Machine {
        Objects.requireNonNull(clientId, "clientId");
    }

    public static Machine of(UUID clientId, String netbiosName) {
        return new Machine(clientId, netbiosName, "5.00.9128.1000", 437, 1033);
    }
}
