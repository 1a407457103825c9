package io.statesys.schema;

/**
 * What the fallback status point still holds, as SQL expressions: the FSP reports it and the
 * console samples it, from the same words.
 */
public final class FspBacklog {
    /** Messages waiting: queued unsigned ones plus the messages of verified signed reports. */
    public static final String QUEUED_MESSAGES = """
            (SELECT count(*) FROM fsp_queue) + (SELECT coalesce(sum(message_count), 0) FROM fsp_signed_report)""";

    /**
     * Age of the oldest message waiting, in seconds (0 when nothing waits): the first row of each
     * queue by id, read from its primary key. Ids follow arrival, so this is the oldest but for
     * transactions that commit out of order (milliseconds); a min() over received_at read the
     * whole queue, a second per ten million messages on every probe and sample.
     */
    public static final String OLDEST_AGE_SECONDS = """
            coalesce(extract(epoch FROM now() - least((SELECT received_at FROM fsp_queue ORDER BY id LIMIT 1),
                                                      (SELECT received_at FROM fsp_signed_report ORDER BY id LIMIT 1))), 0)::bigint""";

    private FspBacklog() {
    }
}
