package io.statesys.e2e;

import org.junit.jupiter.api.parallel.ResourceLock;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A parent whose processor starts before its child's database has its schema: the subscription it
 * makes then has no tables, and its slot starts before the child's publication exists — a point the
 * child's decoder can never get past. The parent must notice and make the subscription again once
 * the child has migrated, so that the link comes up by itself.
 */
@ResourceLock(SiteClusters.LOCK)
class LateChildSiteEndToEndTest {
    private static final List<ServiceProcess> STARTED = new ArrayList<>();

    @AfterAll
    static void stop() throws Exception {
        for (ServiceProcess p : STARTED) {
            p.close();
        }
        SiteClusters.dropTestDatabases();
    }

    private static Map<String, String> env(int port, String db, String site) {
        Map<String, String> e = new HashMap<>();
        e.put("STATESYS_DB_HOST", "127.0.0.1");
        e.put("STATESYS_DB_PORT", String.valueOf(port));
        e.put("STATESYS_DB_USER", SiteClusters.USER);
        e.put("STATESYS_DB_PASSWORD", SiteClusters.PASSWORD);
        e.put("STATESYS_DB_NAME", db);
        e.put("STATESYS_SITE_CODE", site);
        return e;
    }

    @Test
    void aSubscriptionMadeBeforeTheChildHadItsSchemaIsMadeAgainAndTheLinkComesUp() throws Exception {
        SiteClusters.ensureRunning();
        SiteClusters.dropTestDatabases();
        int parentPort = SiteClusters.PORTS[0];
        int childPort = SiteClusters.PORTS[1];
        String parentDb = SiteClusters.createDatabase(parentPort);
        String childDb = SiteClusters.createDatabase(childPort);

        Map<String, String> parentEnv = env(parentPort, parentDb, "LC0");
        parentEnv.put("STATESYS_SITE_CHILDREN", "LC1=" + SiteClusters.connection(childPort, childDb));
        ServiceProcess parent = ServiceProcess.start("state-processor-service", parentEnv);
        STARTED.add(parent);
        parent.awaitReady(Duration.ofSeconds(120));
        Api.await("the parent's subscription to the child, made while the child has no schema", Duration.ofSeconds(60), () ->
                count(parentPort, parentDb, "SELECT count(*) FROM pg_subscription WHERE subname = 'statesys_up_lc1'") == 1);
        assertThat(count(parentPort, parentDb, "SELECT count(*) FROM pg_subscription_rel")).as("tables it could subscribe to").isZero();

        Map<String, String> childEnv = env(childPort, childDb, "LC1");
        childEnv.put("STATESYS_SITE_PARENT", "LC0");
        ServiceProcess child = ServiceProcess.start("state-processor-service", childEnv);
        STARTED.add(child);
        child.awaitReady(Duration.ofSeconds(120));
        SiteClusters.sql(childPort, childDb, "GRANT SELECT ON site, topic_state, client_message_stats, missing_range, resync_request TO "
                + SiteClusters.REPLICATOR);

        Api.await("the child active at the parent, its heartbeat replicated", Duration.ofSeconds(90), () -> {
            JsonNode sites = sites(parent);
            if (sites == null) {
                return false;
            }
            for (JsonNode s : sites) {
                if (s.path("siteCode").asText().equals("LC1")) {
                    return s.path("status").asText().equals("active") && !s.path("lastReceivedAt").isNull();
                }
            }
            return false;
        });
        assertThat(count(parentPort, parentDb, "SELECT count(*) FROM pg_subscription_rel")).as("tables subscribed now").isEqualTo(5);
    }

    private static JsonNode sites(ServiceProcess p) {
        try {
            return Api.get(p.url("/api/v1/sites"));
        } catch (IllegalStateException notNow) {
            return null;
        }
    }

    private static long count(int port, String db, String sql) {
        try {
            return SiteClusters.count(port, db, sql);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
