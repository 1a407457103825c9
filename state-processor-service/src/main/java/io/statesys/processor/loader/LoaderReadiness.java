package io.statesys.processor.loader;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import java.time.Duration;
import java.time.Instant;

/**
 * Not ready while the loader is paused because the schema does not fit its statements: such a
 * processor loads nothing until it is replaced (docs/operating.md, "Upgrading across a migration"). A backlog
 * or a database outage does not count here; the database has its own check.
 */
@Readiness
@ApplicationScoped
public class LoaderReadiness implements HealthCheck {
    static final String NAME = "loader";
    private final Loader loader;

    public LoaderReadiness(Loader loader) {
        this.loader = loader;
    }

    @Override
    public HealthCheckResponse call() {
        return loader.schemaFit().misfit()
                .map(m -> HealthCheckResponse.named(NAME).down()
                        .withData("paused", "the database's schema does not fit this processor's statements")
                        .withData("since", m.since().toString())
                        .withData("pausedSeconds", Duration.between(m.since(), Instant.now()).toSeconds())
                        .withData("error", m.error())
                        .build())
                .orElseGet(() -> HealthCheckResponse.named(NAME).up().build());
    }
}
