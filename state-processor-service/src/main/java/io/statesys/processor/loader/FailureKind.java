package io.statesys.processor.loader;

import io.statesys.core.inbox.InboxPayload;
import io.vertx.pgclient.PgException;

/**
 * How a failed chunk is handled. The database being away is not the records' fault: the loader
 * backs off and nothing is marked. A lost race (deadlock, serialization) is retried at once. Other
 * transient database failures (timeouts, resources) mark the records for retry after the
 * STATE_MESSAGE_SYSTEM Retry Config delays. Anything else is a record that can never load: it is
 * isolated and moved to invalid records.
 */
enum FailureKind {
    DATABASE_AWAY,
    RETRY_NOW,
    RETRY_LATER,
    POISON;

    static FailureKind of(Throwable e) {
        Throwable t = e;
        while (t != null) {
            if (t instanceof PgException pg) {
                return ofSqlState(pg.getSqlState());
            }
            if (t instanceof InboxPayload.CorruptPayloadException || t instanceof IllegalArgumentException
                    || t instanceof IllegalStateException || t instanceof NullPointerException
                    || t instanceof ClassCastException || t instanceof ArithmeticException) {
                return POISON;
            }
            t = t.getCause();
        }
        // connection refused/closed, pool timeouts, I/O: the database, not the data
        return DATABASE_AWAY;
    }

    static FailureKind ofSqlState(String state) {
        if (state == null) {
            return DATABASE_AWAY;
        }
        if (state.equals("40001") || state.equals("40P01")) {
            return RETRY_NOW;
        }
        if (state.startsWith("08") || state.equals("57P01") || state.equals("57P02") || state.equals("57P03")
                || state.equals("3D000") || state.equals("28P01") || state.equals("28000")) {
            return DATABASE_AWAY;
        }
        if (state.startsWith("53") || state.startsWith("54") || state.startsWith("55") || state.equals("57014")
                || state.startsWith("58") || state.startsWith("XX")) {
            return RETRY_LATER;
        }
        return POISON;
    }
}
