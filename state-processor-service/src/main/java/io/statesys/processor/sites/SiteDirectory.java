package io.statesys.processor.sites;

import io.smallrye.mutiny.Uni;
import io.statesys.core.config.StatesysConfig;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The sites this site knows — itself, and every descendant whose heartbeat row replicated up — with
 * how far each one's data lags here. The lag is the age of the newest heartbeat received from the
 * site (written there every {@code statesys.site.heartbeat}), so it covers the whole path, through
 * intermediate sites too. A child configured here (statesys.site.children) whose subscription is
 * missing or disabled is failed whatever its last heartbeat says.
 */
@ApplicationScoped
public class SiteDirectory {
    private final Pool pool;
    private final StatesysConfig config;
    private final SiteLinks links;

    public SiteDirectory(Pool pool, StatesysConfig config, SiteLinks links) {
        this.pool = pool;
        this.config = config;
        this.links = links;
    }

    /**
     * {@code lagSeconds}/{@code lastReceivedAt} are null for a child nothing has been received from yet;
     * {@code refusedRows}: rows its link brought for sites outside its subtree, skipped (0 but for children).
     */
    public record Site(String siteCode, String parent, String role, String status, Double lagSeconds, Instant lastReceivedAt,
            long refusedRows) {
    }

    public Uni<List<Site>> sites() {
        return pool.query(SiteStore.REFUSALS).execute().chain(refusalRows -> pool.query(SiteStore.SITES).execute()
                .chain(rows -> pool.query(SiteStore.SUBSCRIPTIONS).execute().map(subRows -> {
            Map<String, SiteLinks.Subscription> subs = SiteLinks.Subscription.byName(subRows);
            Map<String, Long> refused = new HashMap<>();
            for (Row r : refusalRows) {
                refused.put(r.getString("via"), r.getLong("rows"));
            }
            String self = config.site().code();
            Map<String, Site> out = new LinkedHashMap<>();
            List<String> configuredChildren = links.children().stream().map(SiteLink::siteCode).toList();
            for (Row r : rows) {
                String code = r.getString("site_code");
                if (r.getBoolean("self")) {
                    out.put(code, new Site(code, r.getString("parent_code"), "self", "active", 0.0,
                            r.getOffsetDateTime("beat_at").toInstant(), 0));
                    continue;
                }
                boolean child = self.equals(r.getString("parent_code")) || configuredChildren.contains(code);
                double lag = Math.max(0, r.getDouble("lag"));
                String status = status(Duration.ofMillis((long) (lag * 1000)));
                if (configuredChildren.contains(code) && linkBroken(code, subs)) {
                    status = "failed";
                }
                out.put(code, new Site(code, r.getString("parent_code"), child ? "child" : "descendant", status,
                        Math.round(lag * 1000) / 1000.0, r.getOffsetDateTime("beat_at").toInstant(), refused.getOrDefault(code, 0L)));
            }
            for (String code : configuredChildren) {
                // configured, but nothing received yet (the snapshot has not arrived)
                out.putIfAbsent(code, new Site(code, self, "child", linkBroken(code, subs) ? "failed" : "degraded", null, null,
                        refused.getOrDefault(code, 0L)));
            }
            return new ArrayList<>(out.values());
        })));
    }

    String status(Duration lag) {
        if (lag.compareTo(config.site().failedAfter()) > 0) {
            return "failed";
        }
        return lag.compareTo(config.site().degradedAfter()) > 0 ? "degraded" : "active";
    }

    private boolean linkBroken(String child, Map<String, SiteLinks.Subscription> subs) {
        if (!config.site().manageLinks()) {
            return false; // an operator's own subscriptions may have any name: judge by the lag alone
        }
        SiteLinks.Subscription s = subs.get(SiteLink.upSubscription(child));
        return s == null || !s.enabled();
    }
}
