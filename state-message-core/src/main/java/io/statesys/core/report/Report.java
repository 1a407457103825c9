package io.statesys.core.report;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * The Configuration Manager report document: one client's header and a batch of state messages.
 * {@code reportDate} is the header's Date (the time the client assembled the report), may be null.
 */
public record Report(Machine machine, String reportType, Instant reportDate, List<StateMessage> messages) {
    /** Highest {@code Priority} accepted (0 and 5 are seen in the field; the range is ours). */
    public static final int MAX_PRIORITY = 255;

    public Report {
        Objects.requireNonNull(machine, "machine");
        messages = List.copyOf(messages);
    }

    public static Report full(Machine machine, Instant date, List<StateMessage> messages) {
        return new Report(machine, "Full", date, messages);
    }

    public int priority() {
        return machine.effectivePriority();
    }

    public UUID clientId() {
        return machine.clientId();
    }
}
