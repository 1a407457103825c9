package io.statesys.service.database;

import io.quarkus.runtime.StartupEvent;
import io.statesys.core.config.StatesysConfig;
import io.statesys.service.retry.Backoff;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.flywaydb.core.Flyway;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * Migrates the schema when a service starts, before anything else that starts with it (the lowest
 * observer priority), and keeps trying while the database cannot be reached — restarting, out of
 * connections, not created yet: {@link DatabaseFailure#UNAVAILABLE}, the classification every
 * service's retries use — for up to {@code statesys.db.startup-wait}, with a capped, jittered back-off. A
 * Quarkus migrate-at-start would fail the start at the first refused connection, and under
 * Kubernetes every replica would crash-loop together. Any other migration failure stops the start
 * at once: retrying a broken migration changes nothing.
 */
@ApplicationScoped
public class SchemaMigration {
    private static final Logger LOG = Logger.getLogger(SchemaMigration.class);
    static final Pattern SITE_CODE = Pattern.compile("[A-Z0-9]{3}");
    static final Backoff BACKOFF = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(15));

    void migrate(@Observes @Priority(1) StartupEvent ev, Flyway flyway, StatesysConfig config) {
        String site = config.site().code();
        if (!SITE_CODE.matcher(site).matches()) {
            throw new IllegalStateException("statesys.site.code must be three capital letters or digits, not '" + site + "'");
        }
        DatabaseTls.check(config.db());
        migrateWithRetries(flyway, config);
        String recorded = recordedSite(flyway);
        if (!site.equals(recorded)) {
            throw new IllegalStateException("this database belongs to site " + recorded + " but statesys.site.code is " + site
                    + ": a site's code cannot change (its rows carry it, and its parent keys them by it)");
        }
    }

    private static String recordedSite(Flyway flyway) {
        try (Connection c = flyway.getConfiguration().getDataSource().getConnection();
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT site_code FROM site_self")) {
            return rs.next() ? rs.getString(1) : null;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read this database's site code: " + e.getMessage(), e);
        }
    }

    private void migrateWithRetries(Flyway flyway, StatesysConfig config) {
        long deadline = System.nanoTime() + config.db().startupWait().toNanos();
        for (int failures = 0; ; failures++) {
            try {
                flyway.migrate();
                if (failures > 0) {
                    LOG.infof("schema migrated after %d attempts", failures + 1);
                }
                return;
            } catch (RuntimeException e) {
                if (DatabaseFailure.of(e) != DatabaseFailure.UNAVAILABLE || System.nanoTime() > deadline) {
                    throw e;
                }
                long wait = BACKOFF.delayMillis(failures);
                LOG.warnf("database not reachable to migrate the schema (attempt %d): %s; trying again in %d ms",
                        failures + 1, DatabaseFailure.rootMessage(e), wait);
                if (!io.statesys.service.retry.Pause.millis(wait)) {
                    throw e;
                }
            }
        }
    }
}
