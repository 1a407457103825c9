package io.statesys.processor.sites;

import io.vertx.mutiny.sqlclient.SqlConnection;
import org.jboss.logging.Logger;

import java.time.Duration;

/**
 * Runs a statement that carries a secret — a subscription's connection string, with the link's
 * password — so that PostgreSQL does not write it to its log. A failing statement is logged whole
 * (log_min_error_statement), and CREATE SUBSCRIPTION fails once a heartbeat while a child site is
 * down, so the password reached the server log every second. For the statement, this session logs
 * no statement text at all; the error itself (which names no password) is still logged. The
 * settings are a superuser's, as CREATE SUBSCRIPTION is on PostgreSQL 15; a role that may not set
 * them is told so once, and the statement runs anyway.
 */
final class SecretStatements {
    private static final Logger LOG = Logger.getLogger(SecretStatements.class);
    private static final Duration WAIT = Duration.ofMinutes(1);
    static final String QUIET = "SET log_min_error_statement = panic; SET log_statement = 'none'; SET log_min_duration_statement = -1";
    static final String LOUD = "RESET log_min_error_statement; RESET log_statement; RESET log_min_duration_statement";

    private static volatile boolean warned;

    private SecretStatements() {
    }

    static void run(SqlConnection conn, String sql) {
        boolean quiet = quiet(conn);
        try {
            conn.query(sql).execute().await().atMost(WAIT);
        } finally {
            if (quiet) {
                conn.query(LOUD).execute().await().atMost(WAIT);
            }
        }
    }

    private static boolean quiet(SqlConnection conn) {
        try {
            conn.query(QUIET).execute().await().atMost(WAIT);
            return true;
        } catch (RuntimeException e) {
            if (!warned) {
                warned = true;
                LOG.warnf("cannot keep subscription connection strings out of the server log (%s): the database role needs "
                        + "the right to set log_min_error_statement", e.getMessage());
            }
            return false;
        }
    }
}
