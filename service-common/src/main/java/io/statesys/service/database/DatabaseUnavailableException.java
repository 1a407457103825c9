package io.statesys.service.database;

/** The database cannot be reached at all: back off, mark nothing, try again later. */
public class DatabaseUnavailableException extends RuntimeException {
    public DatabaseUnavailableException(Throwable cause) {
        super(cause);
    }
}
