package io.statesys.processor.loader;

import io.statesys.processor.InboxFixture;

import java.util.List;

/**
 * For tests outside the loader: a report set aside by the loader's own path — a transient failure
 * retried until the Retry Config is spent, then moved to invalid records with its sender and
 * counted invalid — rather than by a copy of its statement that would have to follow every column.
 */
public final class SetAside {
    private SetAside() {
    }

    /** Fails the report transiently until the loader gives it up; the id of its invalid record. */
    public static long afterRetries(Loader loader, InboxFixture inbox, long inboxId, String cause) {
        RuntimeException failure = new RuntimeException(cause);
        for (int attempt = 0; inbox.count("SELECT count(*) FROM inbox WHERE id = $1", inboxId) > 0; attempt++) {
            if (attempt == 10) {
                throw new AssertionError("report " + inboxId + " still in the inbox after 10 failures");
            }
            loader.markForRetry(List.of(inboxId), failure);
        }
        return inbox.count("SELECT id FROM invalid_record WHERE inbox_id = $1", inboxId);
    }
}
