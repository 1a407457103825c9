package io.statesys.processor.loader;

import io.statesys.core.inbox.InboxPayload;
import io.statesys.service.database.DatabaseFailure;

/**
 * How a failed chunk is handled, from the shared {@link DatabaseFailure} classification. The
 * database being away is not the records' fault: the loader backs off and nothing is marked. A lost
 * race (deadlock, serialization) is retried at once. An overloaded server marks the records for
 * retry after the STATE_MESSAGE_SYSTEM Retry Config delays. A statement that does not fit the schema
 * (a processor of the previous version while a rollout migrates) is not the records' fault either:
 * loading pauses and nothing is marked, so the processors whose code fits load them. A statement the
 * database refuses for the data, or a record our code cannot handle, is a record that can never load:
 * it is isolated and moved to invalid records.
 */
enum LoaderFailure {
    DATABASE_AWAY,
    RETRY_NOW,
    RETRY_LATER,
    SCHEMA_MISMATCH,
    POISON;

    static LoaderFailure of(Throwable e) {
        return switch (DatabaseFailure.of(e)) {
            case UNAVAILABLE -> DATABASE_AWAY;
            case LOST_RACE -> RETRY_NOW;
            case OVERLOADED -> RETRY_LATER;
            case SCHEMA_MISMATCH -> SCHEMA_MISMATCH;
            case REFUSED -> POISON;
            case NOT_DATABASE -> isRecordsFault(e) ? POISON : DATABASE_AWAY;
        };
    }

    /** Failures of our own code on a record's content; anything else unknown is treated as the database's. */
    private static boolean isRecordsFault(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof InboxPayload.CorruptPayloadException || t instanceof IllegalArgumentException
                    || t instanceof IllegalStateException || t instanceof NullPointerException
                    || t instanceof ClassCastException || t instanceof ArithmeticException) {
                return true;
            }
        }
        return false;
    }
}
