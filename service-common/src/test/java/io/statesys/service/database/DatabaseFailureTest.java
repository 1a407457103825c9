package io.statesys.service.database;

import io.vertx.pgclient.PgException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.util.concurrent.CompletionException;

import static org.assertj.core.api.Assertions.assertThat;

class DatabaseFailureTest {

    @ParameterizedTest(name = "SQLSTATE {0} is {1}")
    @CsvSource({
            "08006, UNAVAILABLE",   // connection failure
            "08001, UNAVAILABLE",   // cannot establish
            "57P01, UNAVAILABLE",   // admin shutdown
            "57P03, UNAVAILABLE",   // cannot connect now (starting up)
            "57P02, UNAVAILABLE",   // crash shutdown
            "25006, UNAVAILABLE",   // read-only transaction: a demoted primary, before the write endpoint moves on
            "53300, UNAVAILABLE",   // too many connections
            "3D000, UNAVAILABLE",   // no such database
            "28P01, UNAVAILABLE",   // password authentication failed
            "40001, LOST_RACE",     // serialization failure
            "40P01, LOST_RACE",     // deadlock
            "53100, OVERLOADED",    // disk full
            "55P03, OVERLOADED",    // lock not available
            "57014, OVERLOADED",    // statement timeout
            "XX000, OVERLOADED",    // internal error
            "42601, SCHEMA_MISMATCH", // syntax error: our statement, not the data
            "42P01, SCHEMA_MISMATCH", // undefined table
            "42703, SCHEMA_MISMATCH", // undefined column: a previous version's statement after a migration
            "42P10, SCHEMA_MISMATCH", // no unique constraint matching ON CONFLICT: a re-keyed table (V11, V14)
            "0A000, SCHEMA_MISMATCH", // cached plan must not change result type: a column retyped under a prepared statement
            "42883, SCHEMA_MISMATCH", // undefined function
            "42501, SCHEMA_MISMATCH", // insufficient privilege
            "23502, REFUSED",       // not-null violation
            "23505, REFUSED",       // unique violation
            "22021, REFUSED",       // NUL byte in text
            "22P02, REFUSED"        // invalid text representation
    })
    void sqlStatesAreClassified(String state, DatabaseFailure expected) {
        assertThat(DatabaseFailure.of(new PgException("msg", "ERROR", state, null))).isEqualTo(expected);
    }

    @Test
    void aRefusedConnectionDeepInTheCauseChainIsAnOutage() {
        Throwable wrapped = new CompletionException(new RuntimeException("session failed", new ConnectException("Connection refused")));
        assertThat(DatabaseFailure.of(wrapped)).isEqualTo(DatabaseFailure.UNAVAILABLE);
        assertThat(DatabaseFailure.of(wrapped).isOutage()).isTrue();
    }

    @Test
    void aTimeoutWaitingForTheDatabaseIsAnOutage() {
        assertThat(DatabaseFailure.of(new io.smallrye.mutiny.TimeoutException())).isEqualTo(DatabaseFailure.UNAVAILABLE);
    }

    @Test
    void aBugInOurOwnCodeIsNotADatabaseFailure() {
        assertThat(DatabaseFailure.of(new NullPointerException("x"))).isEqualTo(DatabaseFailure.NOT_DATABASE);
        assertThat(DatabaseFailure.NOT_DATABASE.isOutage()).isFalse();
        assertThat(DatabaseFailure.REFUSED.isOutage()).isFalse();
    }

    @Test
    void aStatementThatDoesNotFitTheSchemaIsNotAnOutage() {
        // HTTP answers it as before (500, logged): a client's retry reaches a pod whose code fits
        assertThat(DatabaseFailure.SCHEMA_MISMATCH.isOutage()).isFalse();
    }

    @Test
    void aConnectionLostOrEndedByTheServerMidStatementLeavesTheCommitUnknownARefusedOneDoesNot() {
        assertThat(DatabaseFailure.outcomeUnknown(new CompletionException(io.vertx.sqlclient.ClosedConnectionException.INSTANCE))).isTrue();
        assertThat(DatabaseFailure.outcomeUnknown(new PgException("terminating connection", "FATAL", "57P01", null))).isTrue();
        assertThat(DatabaseFailure.outcomeUnknown(new PgException("crash", "FATAL", "57P02", null))).isTrue();
        assertThat(DatabaseFailure.outcomeUnknown(new ConnectException("Connection refused"))).isFalse();
        assertThat(DatabaseFailure.outcomeUnknown(new PgException("starting up", "FATAL", "57P03", null))).isFalse();
        assertThat(DatabaseFailure.outcomeUnknown(new PgException("duplicate key", "ERROR", "23505", null))).isFalse();
    }
}
