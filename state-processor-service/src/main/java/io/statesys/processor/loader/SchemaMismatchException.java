package io.statesys.processor.loader;

import io.statesys.service.database.DatabaseFailure;
import io.statesys.service.database.DatabaseUnavailableException;

/**
 * The loader's statements do not fit the database's schema ({@link DatabaseFailure#SCHEMA_MISMATCH}):
 * typically this processor is of the previous version and a rollout has migrated the schema under it.
 * The loader backs off as it does while the database is away, so the chunk's reports stay in the
 * inbox, unmarked, for a processor whose statements fit — never in invalid records.
 */
final class SchemaMismatchException extends DatabaseUnavailableException {
    SchemaMismatchException(Throwable cause) {
        super(cause instanceof ChunkFailedException f && f.getCause() != null ? f.getCause() : cause);
    }
}
