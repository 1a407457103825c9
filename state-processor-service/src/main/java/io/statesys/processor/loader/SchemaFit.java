package io.statesys.processor.loader;

import io.statesys.service.database.DatabaseFailure;

import java.time.Instant;
import java.util.Optional;

/**
 * Whether this processor's statements fit the database: a chunk that met a schema they no longer
 * fit (SQLSTATE class 42, a rollout across a migration) pauses loading until a chunk commits
 * again. Readiness reads it ({@link LoaderReadiness}), so a replica that loads nothing is seen,
 * and replaced first by a rollout, instead of looking healthy while the inbox grows.
 */
final class SchemaFit {
    /** Since when, and the database's words for it. */
    record Misfit(Instant since, String error) {
    }

    private volatile Misfit misfit;

    void misfit(Throwable cause) {
        if (misfit == null) {
            misfit = new Misfit(Instant.now(), describe(cause));
        }
    }

    void fits() {
        // read first: every committed chunk calls this, and a volatile write each time would be for nothing
        if (misfit != null) {
            misfit = null;
        }
    }

    Optional<Misfit> misfit() {
        return Optional.ofNullable(misfit);
    }

    private static String describe(Throwable cause) {
        String m = DatabaseFailure.rootMessage(cause);
        return m.length() > 300 ? m.substring(0, 300) + "…" : m;
    }
}
