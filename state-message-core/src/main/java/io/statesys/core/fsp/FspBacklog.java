package io.statesys.core.fsp;

/**
 * What the fallback status point still holds, as SQL expressions: the FSP reports it and the
 * console samples it, from the same words.
 */
public final class FspBacklog {
    /** Messages waiting: queued unsigned ones plus the messages of verified signed reports. */
    public static final String QUEUED_MESSAGES = """
            (SELECT count(*) FROM fsp_queue) + (SELECT coalesce(sum(message_count), 0) FROM fsp_signed_report)""";

    /** Age of the oldest message waiting, in seconds (0 when nothing waits). */
    public static final String OLDEST_AGE_SECONDS = """
            coalesce(extract(epoch FROM now() - least((SELECT min(received_at) FROM fsp_queue),
                                                      (SELECT min(received_at) FROM fsp_signed_report))), 0)::bigint""";

    private FspBacklog() {
    }
}
