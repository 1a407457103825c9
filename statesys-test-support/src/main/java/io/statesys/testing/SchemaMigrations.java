package io.statesys.testing;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;

import java.util.Map;

/**
 * Flyway set up as the services set it up (the schema module's migrations, the site code
 * placeholder), for tests that migrate a database of their own — to the latest version or, with
 * {@code .target(…)}, to an earlier one.
 */
public final class SchemaMigrations {
    private SchemaMigrations() {
    }

    public static FluentConfiguration of(String jdbcUrl, String user, String password, String siteCode) {
        return Flyway.configure().dataSource(jdbcUrl, user, password)
                .locations("classpath:db/migration").placeholders(Map.of("site_code", siteCode));
    }
}
