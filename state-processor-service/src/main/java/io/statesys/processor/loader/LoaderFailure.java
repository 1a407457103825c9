package io.statesys.processor.loader;

import io.statesys.core.inbox.InboxPayload;
import io.statesys.service.database.DatabaseFailure;

/**
 * How a failed chunk is handled, from the shared {@link DatabaseFailure} classification. The
 * database being away is not the records' fault: the loader backs off and nothing is marked. A lost
 * race (deadlock, serialization) is retried at once. An overloaded server marks the records for
 * retry after the STATE_MESSAGE_SYSTEM Retry Config delays. A statement the database refuses, or
 * a record our code cannot handle, is a record that can never load: it is isolated and moved to
 * invalid records.
 */
enum LoaderFailure {
    DATABASE_AWAY,
    RETRY_NOW,
    RETRY_LATER,
    POISON;

    static LoaderFailure of(Throwable e) {
        return switch (DatabaseFailure.of(e)) {
            case UNAVAILABLE -> DATABASE_AWAY;
            case LOST_RACE -> RETRY_NOW;
            case OVERLOADED -> RETRY_LATER;
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
