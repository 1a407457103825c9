package io.statesys.processor.sites;

import io.quarkus.scheduler.Scheduled;
import io.statesys.core.config.StatesysConfig;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Keeps this site's replication links as configured (statesys.site.children / parent-connection),
 * every heartbeat, one processor replica at a time. PostgreSQL does the replicating; this only creates
 * what is missing — it drops nothing but an up subscription of its own that never carried a table
 * (made before the child had migrated): a subscription an operator disabled or re-pointed stays theirs.
 * <ul>
 * <li>for each child: a subscription {@code statesys_up_<child>} to the child's {@code statesys_up}
 *     publication (snapshot, then changes), and a publication {@code statesys_down_<child>} of the
 *     resync orders meant for that child or one of its descendants (row filter, inserts only);</li>
 * <li>for each child, before it subscribes: the claim that the child's own site code comes through its
 *     link (V25: the rows of another link's sites, or of this site, are refused when they arrive);</li>
 * <li>towards the parent: a subscription {@code statesys_down_<self>} to the parent's publication for
 *     this site, refreshed until the parent has created it; its slot is made by the parent.</li>
 * </ul>
 */
@ApplicationScoped
public class SiteLinks {
    private static final Logger LOG = Logger.getLogger(SiteLinks.class);
    private static final Duration WAIT = Duration.ofMinutes(1);

    private final LinkConnections connections;
    private final StatesysConfig config;
    private final List<SiteLink> children;
    /** Row filter last applied per child's down publication (re-applied once after each start). */
    private final Map<String, String> appliedFilters = new ConcurrentHashMap<>();
    /** Last problem per link, logged once until it changes. */
    private final Map<String, String> problems = new ConcurrentHashMap<>();

    SiteLinks(LinkConnections connections, StatesysConfig config) {
        this.connections = connections;
        this.config = config;
        this.children = SiteLink.children(config.site().children());
    }

    public List<SiteLink> children() {
        return children;
    }

    public Optional<String> problem(String site) {
        return Optional.ofNullable(problems.get(site));
    }

    @Scheduled(every = "${statesys.site.heartbeat}", delayed = "2s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void round() {
        if (!config.site().manageLinks() || (children.isEmpty() && config.site().parentConnection().isEmpty())) {
            return;
        }
        SqlConnection conn;
        try {
            conn = connections.open().await().atMost(WAIT);
        } catch (RuntimeException e) {
            note("links", "site links not checked: " + e.getMessage());
            return;
        }
        try {
            if (conn.query(SiteStore.TRY_LOCK).execute().await().atMost(WAIT).iterator().next().getBoolean("locked")) {
                try {
                    keep(conn);
                } finally {
                    conn.query(SiteStore.UNLOCK).execute().await().atMost(WAIT);
                }
            }
        } catch (RuntimeException e) {
            note("links", "site links not checked: " + e.getMessage());
        } finally {
            conn.close().await().atMost(WAIT);
        }
    }

    private void keep(SqlConnection conn) {
        Map<String, Subscription> subs = subscriptions(conn);
        Map<String, String> parents = new HashMap<>();
        for (Row r : conn.query(SiteStore.SITES).execute().await().atMost(WAIT)) {
            parents.put(r.getString("site_code"), r.getString("parent_code"));
        }
        attempt("links", () -> conn.preparedQuery(SiteStore.RELEASE_UNCONFIGURED)
                .execute(Tuple.of(children.stream().map(SiteLink::siteCode).toArray(String[]::new))).await().atMost(WAIT));
        for (SiteLink child : children) {
            attempt(child.siteCode(), () -> {
                // Before the subscription exists: no other link can have the child's own rows counted as its own.
                conn.preparedQuery(SiteStore.CLAIM_CHILD).execute(Tuple.of(child.siteCode())).await().atMost(WAIT);
                keepDownPublication(conn, child.siteCode(), parents);
                keepDownSlot(conn, child.siteCode());
            });
            attempt(child.siteCode(), () -> {
                String name = SiteLink.upSubscription(child.siteCode());
                Subscription s = subs.get(name);
                if (s != null && s.enabled() && s.tables() == 0) {
                    // Made before the child's schema (and so its publication) existed: its slot starts before the
                    // publication, and the child's decoder can never get past that point. It carried nothing yet.
                    LOG.infof("subscription %s was made before child site %s had its publication: making it again", name, child.siteCode());
                    exec(conn, "DROP SUBSCRIPTION " + name);
                    s = null;
                }
                if (s == null) {
                    LOG.infof("subscribing to child site %s (%s): snapshot first, then changes", child.siteCode(), name);
                    SecretStatements.run(conn, "CREATE SUBSCRIPTION " + name + " CONNECTION " + SiteLink.literal(child.connection())
                            + " PUBLICATION statesys_up");
                }
            });
        }
        Optional<String> parent = config.site().parent();
        Optional<String> parentConnection = config.site().parentConnection();
        if (parent.isPresent() && parentConnection.isPresent()) {
            String self = config.site().code();
            String name = SiteLink.downSubscription(self);
            attempt(parent.get(), () -> {
                Subscription s = subs.get(name);
                if (s == null) {
                    // connect = false: no slot made from here. Creating a slot at the parent waits for the parent's
                    // open transactions, and the parent may at that moment be creating its subscription here (which
                    // waits for ours): the two would wait for each other forever. The parent makes this slot itself.
                    LOG.infof("subscribing to parent site %s for resync orders (%s)", parent.get(), name);
                    SecretStatements.run(conn, "CREATE SUBSCRIPTION " + name + " CONNECTION " + SiteLink.literal(parentConnection.get())
                            + " PUBLICATION " + SiteLink.downPublication(self)
                            + " WITH (connect = false, slot_name = " + SiteLink.literal(name) + ")");
                    exec(conn, "ALTER SUBSCRIPTION " + name + " ENABLE");
                    exec(conn, "ALTER SUBSCRIPTION " + name + " REFRESH PUBLICATION");
                } else if (s.tables() == 0 && s.enabled()) {
                    // Created before the parent had made this site's publication: pick its table up now.
                    exec(conn, "ALTER SUBSCRIPTION " + name + " REFRESH PUBLICATION");
                }
            });
        }
    }

    /** The slot the child's down subscription reads, made here (after the publication it decodes with). */
    private void keepDownSlot(SqlConnection conn, String child) {
        String slot = SiteLink.downSubscription(child);
        long exists = conn.preparedQuery(SiteStore.SLOT_EXISTS).execute(Tuple.of(slot)).await().atMost(WAIT)
                .iterator().next().getLong("n");
        if (exists == 0) {
            conn.preparedQuery(SiteStore.CREATE_SLOT).execute(Tuple.of(slot)).await().atMost(WAIT);
        }
    }

    private void keepDownPublication(SqlConnection conn, String child, Map<String, String> parents) {
        TreeSet<String> codes = new TreeSet<>();
        codes.add(child);
        codes.addAll(descendants(child, parents));
        String filter = "site_code IN (" + codes.stream().map(SiteLink::literal).collect(Collectors.joining(", ")) + ")";
        String name = SiteLink.downPublication(child);
        long exists = conn.preparedQuery(SiteStore.PUBLICATION_EXISTS).execute(Tuple.of(name)).await().atMost(WAIT)
                .iterator().next().getLong("n");
        if (exists == 0) {
            exec(conn, "CREATE PUBLICATION " + name + " FOR TABLE resync_order WHERE (" + filter + ") WITH (publish = 'insert')");
        } else if (!filter.equals(appliedFilters.get(child))) {
            exec(conn, "ALTER PUBLICATION " + name + " SET TABLE resync_order WHERE (" + filter + ")");
        }
        appliedFilters.put(child, filter);
    }

    /** Every site whose chain of parents (as replicated up) reaches {@code site}. */
    static TreeSet<String> descendants(String site, Map<String, String> parents) {
        TreeSet<String> out = new TreeSet<>();
        for (String s : parents.keySet()) {
            String p = parents.get(s);
            for (int hops = 0; p != null && hops < parents.size(); hops++) {
                if (p.equals(site)) {
                    out.add(s);
                    break;
                }
                p = parents.get(p);
            }
        }
        return out;
    }

    record Subscription(String name, boolean enabled, long tables) {
        /** The rows of {@link SiteStore#SUBSCRIPTIONS}, by subscription name. */
        static Map<String, Subscription> byName(Iterable<Row> rows) {
            Map<String, Subscription> out = new HashMap<>();
            for (Row r : rows) {
                out.put(r.getString("subname"), new Subscription(r.getString("subname"), r.getBoolean("subenabled"), r.getLong("tables")));
            }
            return out;
        }
    }

    static Map<String, Subscription> subscriptions(SqlConnection conn) {
        return Subscription.byName(conn.query(SiteStore.SUBSCRIPTIONS).execute().await().atMost(WAIT));
    }

    private static void exec(SqlConnection conn, String sql) {
        conn.query(sql).execute().await().atMost(WAIT);
    }

    private void attempt(String site, Runnable step) {
        try {
            step.run();
            if (problems.remove(site) != null) {
                LOG.infof("link to site %s is set up", site);
            }
        } catch (RuntimeException e) {
            note(site, e.getMessage());
        }
    }

    private void note(String site, String problem) {
        if (!problem.equals(problems.put(site, problem))) {
            LOG.warnf("site link %s: %s (tried again every %s)", site, problem, config.site().heartbeat());
        }
    }
}
