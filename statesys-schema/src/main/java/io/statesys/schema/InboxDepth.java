package io.statesys.schema;

/**
 * How much waits in the state system inbox, as one named statement used wherever a backlog is shown
 * (the processor's status and gauges, the console's overview and samples). Constant cost: the counts
 * come from the tally the inbox's triggers keep (V28, exact in every snapshot), the oldest report's
 * age from the head of the inbox's received_at index — never from reading the inbox.
 */
public final class InboxDepth {
    /**
     * Columns {@code reports}, {@code messages}, {@code oldest} (whole seconds, 0 when empty). Not a
     * compile-time constant (the {@code strip()}): javac would copy a constant into every module that
     * uses it, and a module not recompiled would go on running the old statement.
     */
    public static final String SELECT = """
            SELECT coalesce(sum(t.reports), 0)::bigint AS reports, coalesce(sum(t.messages), 0)::bigint AS messages,
                   floor(coalesce(extract(epoch FROM now() - (SELECT received_at FROM inbox ORDER BY received_at LIMIT 1)),
                                  0))::bigint AS oldest
            FROM inbox_tally t""".strip();

    private InboxDepth() {
    }
}
