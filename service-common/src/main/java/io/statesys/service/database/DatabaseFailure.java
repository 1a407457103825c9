package io.statesys.service.database;

import io.vertx.pgclient.PgException;

import java.io.IOException;
import java.sql.SQLException;
import java.util.Locale;
import java.util.concurrent.TimeoutException;

/**
 * What a failure says about the database, read from its cause chain. The one classification every
 * service uses: HTTP answers ({@code isOutage()} → 503 + Retry-After, else 500) and the loader's
 * and forwarder's retry decisions.
 * <ul>
 *   <li>{@link #UNAVAILABLE}: connection refused, lost or timed out, pool exhausted, too many
 *       connections, admin shutdown, recovery, authentication, a read-only (demoted) member: the
 *       database, not the request.</li>
 *   <li>{@link #LOST_RACE}: serialization failure or deadlock: the same work succeeds if tried again now.</li>
 *   <li>{@link #OVERLOADED}: the server is short of a resource (disk, memory, locks) or cancelled a
 *       statement that ran too long: try again later.</li>
 *   <li>{@link #SCHEMA_MISMATCH}: the statement does not fit the database it ran on (SQLSTATE class
 *       42: a column, table, function or conflict target that is not there, a missing grant, a
 *       syntax error; 0A000: a feature this server does not support, or a prepared statement whose
 *       result type a migration changed — "cached plan must not change result type"). Nothing in the request or the record is at fault: the code and the schema
 *       disagree — typically a pod of the previous version while a rollout migrates the schema —
 *       and the same statement from the matching code succeeds.</li>
 *   <li>{@link #REFUSED}: the database refused this statement for what its data is (constraint,
 *       invalid value): trying again gives the same answer.</li>
 *   <li>{@link #NOT_DATABASE}: no database failure in the chain.</li>
 * </ul>
 */
public enum DatabaseFailure {
    UNAVAILABLE, LOST_RACE, OVERLOADED, SCHEMA_MISMATCH, REFUSED, NOT_DATABASE;

    /** True when the client should come back later: 503 + Retry-After, never 500. */
    public boolean isOutage() {
        return this == UNAVAILABLE || this == LOST_RACE || this == OVERLOADED;
    }

    public static DatabaseFailure of(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof PgException pg) {
                return ofSqlState(pg.getSqlState());
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                return ofSqlState(sql.getSQLState());
            }
            if (isConnectionTrouble(t)) {
                return UNAVAILABLE;
            }
        }
        return NOT_DATABASE;
    }

    /**
     * Whether a write's fate is unknown: the connection closed, or the server ended it (57P01/57P02:
     * shutdown, crash, or a primary that lost its standby while the commit waited for it), after the
     * statement may have reached it. With synchronous replication a commit is durable locally before
     * the standby confirms, so a failover can keep a transaction whose client saw only the failure.
     * A refused connection (nothing was sent) or a statement's own error is not unknown.
     */
    public static boolean outcomeUnknown(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof PgException pg) {
                return "57P01".equals(pg.getSqlState()) || "57P02".equals(pg.getSqlState());
            }
            if (t.getClass().getName().equals("io.vertx.sqlclient.ClosedConnectionException")) {
                return true;
            }
        }
        return false;
    }

    /** The innermost cause, type and message: what the database or the driver said, under the wrappers. */
    public static String rootMessage(Throwable failure) {
        Throwable t = failure;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }

    public static DatabaseFailure ofSqlState(String state) {
        if (state == null) {
            return UNAVAILABLE;
        }
        if (state.equals("40001") || state.equals("40P01")) {
            return LOST_RACE;
        }
        // 08 connection exception, 57P01-03 admin/crash shutdown and cannot-connect-now,
        // 53300 too many connections, 3D000 no such database (yet), 28 authentication
        // 25006 read-only transaction: the connection landed on a member that is (now) a standby — a
        // failover under way; the write endpoint moves on and cuts it, and the next one reaches the leader
        if (state.startsWith("08") || state.startsWith("57P") || state.equals("53300")
                || state.equals("3D000") || state.startsWith("28") || state.equals("25006")) {
            return UNAVAILABLE;
        }
        // 53 insufficient resources, 55 object not in prerequisite state (lock not available),
        // 57014 statement timeout / cancel, 58 system error, XX internal error
        if (state.startsWith("53") || state.startsWith("55") || state.equals("57014")
                || state.startsWith("58") || state.startsWith("XX")) {
            return OVERLOADED;
        }
        // 42 syntax error or access rule violation: 42703 undefined column, 42P01 undefined table,
        // 42883 undefined function, 42P10 no unique constraint for ON CONFLICT, 42501 no privilege;
        // 0A000 feature not supported, which is also how a connection's prepared statement meets a
        // column whose type a migration changed under it: neither is the data's fault
        if (state.startsWith("42") || state.equals("0A000")) {
            return SCHEMA_MISMATCH;
        }
        return REFUSED;
    }

    /**
     * The reactive client reports a missing connection in several shapes: refused or reset
     * sockets, a closed connection, a pool that could not hand out a connection in time.
     */
    private static boolean isConnectionTrouble(Throwable t) {
        if (t instanceof IOException || t instanceof TimeoutException
                || t instanceof io.smallrye.mutiny.TimeoutException) {
            return true;
        }
        String type = t.getClass().getName();
        if (type.equals("io.vertx.sqlclient.ClosedConnectionException")
                || type.startsWith("io.netty.channel.") && type.endsWith("Exception")
                || type.endsWith("JDBCConnectionException")) {
            return true;
        }
        if (type.startsWith("io.vertx.")) {
            String m = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
            return m.contains("connection") || m.contains("pool") || m.contains("timeout") || m.contains("timed out")
                    || m.contains("closed");
        }
        return false;
    }
}
