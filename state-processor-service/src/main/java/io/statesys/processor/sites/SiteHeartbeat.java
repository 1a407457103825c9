package io.statesys.processor.sites;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.statesys.core.config.StatesysConfig;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every {@code statesys.site.heartbeat} this site moves its own row in {@code site} (replicated up: an
 * ancestor reads the link's lag from its age), then publishes every known descendant's lag as
 * {@code statesys_site_replication_lag_seconds{site}}. Readiness does not depend on it: a lagging link
 * is the parent's to show, never a reason to take a site's processor out of service.
 */
@ApplicationScoped
public class SiteHeartbeat {
    private static final Logger LOG = Logger.getLogger(SiteHeartbeat.class);

    private final Pool pool;
    private final StatesysConfig config;
    private final SiteDirectory directory;
    private final MeterRegistry registry;
    private final Map<String, Lag> lags = new ConcurrentHashMap<>();
    private volatile boolean warned;

    public SiteHeartbeat(Pool pool, StatesysConfig config, SiteDirectory directory, MeterRegistry registry) {
        this.pool = pool;
        this.config = config;
        this.directory = directory;
        this.registry = registry;
    }

    static final class Lag {
        volatile double seconds = Double.NaN;
    }

    @Scheduled(every = "${statesys.site.heartbeat}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> beat() {
        return pool.preparedQuery(SiteStore.BEAT).execute(Tuple.of(config.site().parent().orElse(null)))
                .chain(() -> directory.sites())
                .invoke(sites -> {
                    for (SiteDirectory.Site s : sites) {
                        if (!"self".equals(s.role())) {
                            lag(s.siteCode()).seconds = s.lagSeconds() == null ? Double.NaN : s.lagSeconds();
                        }
                    }
                    warned = false;
                })
                .replaceWithVoid()
                .onFailure().recoverWithItem(e -> {
                    if (!warned) {
                        warned = true;
                        LOG.warnf("site heartbeat not recorded: %s", e.toString());
                    }
                    return null;
                });
    }

    private Lag lag(String site) {
        return lags.computeIfAbsent(site, s -> {
            Lag l = new Lag();
            Gauge.builder("statesys.site.replication.lag.seconds", l, x -> x.seconds)
                    .description("How old the newest data received from a descendant site is (its heartbeat's age)")
                    .tag("site", s).register(registry);
            return l;
        });
    }
}
