package io.statesys.schema;

/**
 * How much waits in the state system inbox, as one named statement used wherever a backlog is shown
 * (the processor's status and gauges, the console's overview and samples). One pass over the
 * table: three separate aggregates read a churning inbox three times, and status pages are polled.
 */
public final class InboxDepth {
    /** Columns {@code reports}, {@code messages}, {@code oldest} (whole seconds, 0 when empty). */
    public static final String SELECT = """
            SELECT count(*) AS reports, coalesce(sum(message_count), 0) AS messages,
                   floor(coalesce(extract(epoch FROM now() - min(received_at)), 0))::bigint AS oldest
            FROM inbox""";

    private InboxDepth() {
    }
}
