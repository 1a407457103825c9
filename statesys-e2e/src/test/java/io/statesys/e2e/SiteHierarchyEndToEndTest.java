package io.statesys.e2e;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.parallel.ResourceLock;
import com.fasterxml.jackson.databind.JsonNode;
import io.statesys.core.report.ClientId;
import io.statesys.sim.client.ClientAgent;
import io.statesys.sim.client.ClientStateStore;
import io.statesys.sim.hierarchy.HierarchyAudit;
import io.statesys.sim.simulate.Scenario;
import io.statesys.sim.simulate.Simulation;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A site hierarchy on three real PostgreSQL clusters (docs/operating.md, "Site hierarchy"): a central site EC0
 * with no clients (processor and resync service only), and two primaries E01 and E02 (relay,
 * processor, resync service each) whose processed data reaches the central site by logical
 * replication, set up by the processors themselves from their settings.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ResourceLock(SiteClusters.LOCK)
@Order(1)
class SiteHierarchyEndToEndTest {
    private static final String CENTRAL = "EC0";
    private static final String[] PRIMARIES = {"E01", "E02"};
    private static final Map<String, Integer> PORT = new HashMap<>();
    private static final Map<String, String> DB = new HashMap<>();
    private static final Map<String, ServiceProcess> RELAY = new HashMap<>();
    private static final Map<String, ServiceProcess> PROCESSOR = new HashMap<>();
    private static final Map<String, ServiceProcess> RESYNC = new HashMap<>();
    private static final List<ServiceProcess> ALL = new ArrayList<>();
    /** Replication errors counted while the links were being set up (a sync tried before its GRANT), per site. */
    private static final Map<String, Long> SETUP_ERRORS = new HashMap<>();

    @BeforeAll
    static void start() throws Exception {
        SiteClusters.ensureRunning();
        SiteClusters.dropTestDatabases();
        PORT.put(CENTRAL, SiteClusters.PORTS[0]);
        PORT.put(PRIMARIES[0], SiteClusters.PORTS[1]);
        PORT.put(PRIMARIES[1], SiteClusters.PORTS[2]);
        for (String site : PORT.keySet()) {
            DB.put(site, SiteClusters.createDatabase(PORT.get(site)));
        }
        String children = PRIMARIES[0] + "=" + SiteClusters.connection(PORT.get(PRIMARIES[0]), DB.get(PRIMARIES[0]))
                + "," + PRIMARIES[1] + "=" + SiteClusters.connection(PORT.get(PRIMARIES[1]), DB.get(PRIMARIES[1]));
        List<ServiceProcess> starting = new ArrayList<>();
        Map<String, String> central = env(CENTRAL);
        central.put("STATESYS_SITE_CHILDREN", children);
        PROCESSOR.put(CENTRAL, ServiceProcess.start("state-processor-service", linking(central)));
        RESYNC.put(CENTRAL, ServiceProcess.start("resync-service", central));
        starting.add(PROCESSOR.get(CENTRAL));
        starting.add(RESYNC.get(CENTRAL));
        for (String site : PRIMARIES) {
            Map<String, String> e = env(site);
            e.put("STATESYS_SITE_PARENT", CENTRAL);
            e.put("STATESYS_SITE_PARENT_CONNECTION", SiteClusters.connection(PORT.get(CENTRAL), DB.get(CENTRAL)));
            RELAY.put(site, ServiceProcess.start("mp-relay-service", e));
            PROCESSOR.put(site, ServiceProcess.start("state-processor-service", linking(e)));
            RESYNC.put(site, ServiceProcess.start("resync-service", e));
            starting.add(RELAY.get(site));
            starting.add(PROCESSOR.get(site));
            starting.add(RESYNC.get(site));
        }
        ALL.addAll(starting);
        for (ServiceProcess p : starting) {
            p.awaitReady(Duration.ofSeconds(180));
        }
        // the schemas exist now: what each link may read (the processors retry their links until it may)
        SiteClusters.sql(PORT.get(CENTRAL), DB.get(CENTRAL), "GRANT SELECT ON resync_order TO " + SiteClusters.REPLICATOR);
        for (String site : PRIMARIES) {
            SiteClusters.sql(PORT.get(site), DB.get(site), "GRANT SELECT ON site, topic_state, client_message_stats, missing_range, "
                    + "resync_request TO " + SiteClusters.REPLICATOR);
        }
        Api.await("both primaries active at the central site", Duration.ofSeconds(90), () -> {
            JsonNode sites = Api.get(PROCESSOR.get(CENTRAL).url("/api/v1/sites"));
            return sites != null && status(sites, PRIMARIES[0]).equals("active") && status(sites, PRIMARIES[1]).equals("active");
        });
        for (String site : PORT.keySet()) {
            SETUP_ERRORS.put(site, replicationErrors(site));
        }
    }

    private static long replicationErrors(String site) throws SQLException {
        return SiteClusters.count(PORT.get(site), DB.get(site),
                "SELECT coalesce(sum(s.apply_error_count + s.sync_error_count), 0) FROM pg_stat_subscription_stats s "
                        + "JOIN pg_subscription p ON p.oid = s.subid JOIN pg_database d ON d.oid = p.subdbid WHERE d.datname = current_database()");
    }

    private static Map<String, String> env(String site) {
        Map<String, String> e = new HashMap<>();
        e.put("STATESYS_DB_HOST", "127.0.0.1");
        e.put("STATESYS_DB_PORT", String.valueOf(PORT.get(site)));
        // every service works as the database's owner, no superuser: only the processor's link rounds log in as one
        e.put("STATESYS_DB_USER", SiteClusters.OWNER);
        e.put("STATESYS_DB_PASSWORD", SiteClusters.OWNER_PASSWORD);
        e.put("STATESYS_DB_NAME", DB.get(site));
        e.put("STATESYS_SITE_CODE", site);
        e.put("STATESYS_SITE_DEGRADED_AFTER", "5s");
        e.put("STATESYS_IDENTITY_MODE", "enforce");
        e.put("STATESYS_IDENTITY_APPROVAL", "auto");
        e.put("STATESYS_ADMIN_TOKEN", StatesysCluster.ADMIN_TOKEN);
        e.put("STATESYS_INTERNAL_TOKEN", StatesysCluster.INTERNAL_TOKEN);
        return e;
    }

    /** A processor's environment: it keeps the links as a superuser (PostgreSQL 15 wants one for subscriptions). */
    private static Map<String, String> linking(Map<String, String> env) {
        Map<String, String> e = new HashMap<>(env);
        e.put("STATESYS_SITE_LINK_USER", SiteClusters.USER);
        e.put("STATESYS_SITE_LINK_PASSWORD", SiteClusters.PASSWORD);
        return e;
    }

    @AfterAll
    static void stop() throws Exception {
        for (ServiceProcess p : ALL) {
            p.close();
        }
        SiteClusters.dropTestDatabases();
    }

    /** The central site's view; null while it cannot answer (its database restarting). */
    private static JsonNode centralSites() {
        try {
            return Api.get(PROCESSOR.get(CENTRAL).url("/api/v1/sites"));
        } catch (IllegalStateException notNow) {
            return null;
        }
    }

    private static String status(JsonNode sites, String code) {
        if (sites == null) {
            return "unknown";
        }
        for (JsonNode s : sites) {
            if (s.path("siteCode").asText().equals(code)) {
                return s.path("status").asText();
            }
        }
        return "absent";
    }

    private static Simulation.Options load(String site, Scenario scenario, int clients, long seed, Duration duration) {
        return Simulation.Options.builder().clients(clients).scenario(scenario).patchTuesday(10, 7)
                .steady(Duration.ofMillis(500), duration).faults(0.05, 0.1, 0.1)
                .relay(URI.create(RELAY.get(site).baseUrl())).fsp(null).processor(URI.create(PROCESSOR.get(site).baseUrl()))
                .seed(seed).concurrency(4).database(SiteClusters.jdbcUrl(PORT.get(site), DB.get(site)), SiteClusters.USER, SiteClusters.PASSWORD)
                .drainTimeout(Duration.ofSeconds(120)).build();
    }

    private static Simulation.Summary run(Simulation.Options o) throws Exception {
        return new Simulation(o, new PrintStream(PrintStream.nullOutputStream()), false).run();
    }

    /** Empty when the central site holds exactly each primary's processed data (HierarchyAudit, the simulator's check). */
    private static List<String> differences() {
        List<HierarchyAudit.Child> children = new ArrayList<>();
        for (String site : PRIMARIES) {
            children.add(new HierarchyAudit.Child(site, SiteClusters.jdbcUrl(PORT.get(site), DB.get(site))));
        }
        try {
            return HierarchyAudit.compare(SiteClusters.jdbcUrl(PORT.get(CENTRAL), DB.get(CENTRAL)), children,
                    SiteClusters.USER, SiteClusters.PASSWORD).differences();
        } catch (SQLException e) {
            return List.of("not readable: " + e.getMessage());
        }
    }

    /** After an outage: connection errors count as replication errors too, so only the data is compared; then a new baseline. */
    private static void awaitCentralHoldsEachPrimary(Duration timeout) {
        Api.await("the central site to hold exactly each primary's processed data", timeout, () -> differences().isEmpty());
    }

    private static void awaitCentralCaughtUp(Duration timeout) throws SQLException {
        awaitCentralHoldsEachPrimary(timeout);
        for (String site : PORT.keySet()) {
            SETUP_ERRORS.put(site, replicationErrors(site));
        }
    }

    private static void awaitCentralEqualsUnion(Duration timeout) throws SQLException {
        awaitCentralHoldsEachPrimary(timeout);
        long union = 0;
        for (String site : PRIMARIES) {
            union += SiteClusters.count(PORT.get(site), DB.get(site), "SELECT count(*) FROM topic_state");
        }
        assertThat(SiteClusters.count(PORT.get(CENTRAL), DB.get(CENTRAL), "SELECT count(*) FROM topic_state"))
                .as("the central site's latest states are the union of its primaries'").isEqualTo(union);
        assertNoReplicationErrors();
    }

    private static void assertNoReplicationErrors() throws SQLException {
        for (String site : PORT.keySet()) {
            assertThat(replicationErrors(site)).as("replication errors at %s since the links were set up", site)
                    .isEqualTo(SETUP_ERRORS.get(site));
        }
    }

    private static ClientAgent client(String site, UUID id) {
        ClientAgent a = new ClientAgent(id, "WKS-" + id.toString().substring(0, 4), ClientStateStore.inMemory(),
                URI.create(RELAY.get(site).baseUrl()), null, Api.HTTP, Clock.systemUTC());
        assertThat(a.register(null)).as("registered at %s (approval auto)", site).isTrue();
        return a;
    }

    private static JsonNode centralSerials(UUID id) {
        return Api.get(PROCESSOR.get(CENTRAL).url("/api/v1/clients/" + ClientId.format(id) + "/serials"));
    }

    @Test
    @Order(1)
    void twoPrimariesUnderLoadWithDropsDuplicatesAndReorderingReplicateExactlyToTheCentralSite() throws Exception {
        CompletableFuture<Simulation.Summary> first = CompletableFuture.supplyAsync(() -> unchecked(() -> run(
                load(PRIMARIES[0], Scenario.PATCH_TUESDAY, 40, 21, Duration.ofSeconds(4)))));
        Simulation.Summary second = run(load(PRIMARIES[1], Scenario.PATCH_TUESDAY, 40, 22, Duration.ofSeconds(4)));
        for (Simulation.Summary s : List.of(first.get(5, TimeUnit.MINUTES), second)) {
            assertThat(s.messagesLost()).isPositive();
            assertThat(s.auditExact()).as("each primary audits exact: %s", s.auditSample()).isTrue();
        }
        awaitCentralEqualsUnion(Duration.ofSeconds(60));

        JsonNode sites = Api.get(PROCESSOR.get(CENTRAL).url("/api/v1/sites"));
        assertThat(status(sites, CENTRAL)).isEqualTo("active");
        for (JsonNode s : sites) {
            if (!s.path("siteCode").asText().equals(CENTRAL)) {
                assertThat(s.path("role").asText()).isEqualTo("child");
                assertThat(s.path("parent").asText()).isEqualTo(CENTRAL);
                assertThat(s.path("lagSeconds").asDouble()).isLessThan(5);
                assertThat(s.path("refusedRows").asLong(-1)).as("a child's own rows are never refused").isZero();
            }
        }
        String metrics = Api.text(PROCESSOR.get(CENTRAL).url("/q/metrics"));
        assertThat(metrics).contains("statesys_site_replication_lag_seconds{site=\"E01\"}", "statesys_site_replication_lag_seconds{site=\"E02\"}");
        // a primary's client is answered at the central site, with its site
        String anyClient = SiteClusters.column(PORT.get(PRIMARIES[1]), DB.get(PRIMARIES[1]),
                "SELECT client_id FROM client_message_stats WHERE highest_serial >= 0 LIMIT 1").get(0);
        assertThat(centralSerials(UUID.fromString(anyClient)).path("siteCode").asText()).isEqualTo(PRIMARIES[1]);
    }

    @Test
    @Order(2)
    void aResyncForcedAtTheCentralSiteIsServedByTheClientsOwnRelayAndItsCompletionClosesItAtTheCentralSite() throws Exception {
        String site = PRIMARIES[1];
        UUID id = UUID.randomUUID();
        ClientAgent agent = client(site, id);
        for (int i = 1; i <= 3; i++) {
            agent.record(500, "update-" + i, 3, 2, List.of("102"));
        }
        assertThat(agent.send().delivered()).isTrue();
        Api.await("the client known at the central site", Duration.ofSeconds(30), () -> {
            JsonNode s = centralSerials(id);
            return s != null && s.path("highestSerial").asLong() == 3;
        });

        HttpResponse<String> forced = Api.post(RESYNC.get(CENTRAL).url("/api/v1/clients/" + ClientId.format(id) + "/resync"),
                StatesysCluster.ADMIN_TOKEN);
        assertThat(forced.statusCode()).isEqualTo(202);
        JsonNode order = Api.json(forced.body());
        assertThat(order.path("orderedDown").asBoolean()).isTrue();
        assertThat(order.path("siteCode").asText()).isEqualTo(site);

        URI policy = RELAY.get(site).url("/api/v1/clients/" + ClientId.format(id) + "/policy");
        Api.await("the client's own relay to serve the resync", Duration.ofSeconds(30), () -> !Api.get(policy).path("resync").isNull());
        Api.await("the request, replicated up, outstanding at the central site", Duration.ofSeconds(30), () -> {
            JsonNode o = Api.get(RESYNC.get(CENTRAL).url("/api/v1/resync/requests?client=" + ClientId.format(id)));
            return o != null && o.size() == 1 && o.get(0).path("siteCode").asText().equals(site)
                    && o.get(0).path("reason").asText().equals("forced-at-" + CENTRAL);
        });

        assertThat(agent.pollPolicy()).as("the client resends and completes (700/2)").isTrue();
        Api.await("the completion, processed at " + site + ", closes the request at the central site", Duration.ofSeconds(30), () -> {
            JsonNode o = Api.get(RESYNC.get(CENTRAL).url("/api/v1/resync/requests?client=" + ClientId.format(id)));
            JsonNode s = centralSerials(id);
            return o != null && o.isEmpty() && s != null && !s.path("lastResyncClientCompletedTime").isNull();
        });
        assertThat(Api.get(policy).path("resync").isNull()).isTrue();
        assertThat(SiteClusters.count(PORT.get(CENTRAL), DB.get(CENTRAL), "SELECT count(*) FROM resync_request WHERE client_id = '"
                + id + "' AND site_code = '" + site + "' AND completed_at IS NOT NULL")).isEqualTo(1);
    }

    @Test
    @Order(3)
    void aClientThatMovesToTheOtherPrimaryStopsNothingAndAppearsOnceAtTheCentralSiteWhenTheOldSiteRetiresIt() throws Exception {
        UUID id = UUID.randomUUID();
        ClientAgent before = client(PRIMARIES[0], id);
        before.record(500, "update-1", 3, 2, List.of());
        assertThat(before.send().delivered()).isTrue();
        Api.await("the client at the central site, from " + PRIMARIES[0], Duration.ofSeconds(30),
                () -> centralSerials(id) != null && PRIMARIES[0].equals(centralSerials(id).path("siteCode").asText()));

        ClientAgent after = client(PRIMARIES[1], id);
        after.record(500, "update-2", 3, 2, List.of());
        assertThat(after.send().delivered()).isTrue();
        Api.await("the client at the central site under both sites while the old one keeps it", Duration.ofSeconds(30), () ->
                unchecked(() -> SiteClusters.count(PORT.get(CENTRAL), DB.get(CENTRAL),
                        "SELECT count(*) FROM client_message_stats WHERE client_id = '" + id + "'")) == 2);
        assertThat(centralSerials(id).path("siteCode").asText()).as("answered from where it reported last").isEqualTo(PRIMARIES[1]);

        HttpResponse<String> retired = Api.post(RESYNC.get(PRIMARIES[0]).url("/api/v1/clients/" + ClientId.format(id) + "/retire"),
                StatesysCluster.ADMIN_TOKEN);
        assertThat(retired.statusCode()).isEqualTo(200);
        assertThat(Api.json(retired.body()).path("statesRemoved").asLong()).isEqualTo(1);
        Api.await("the client once at the central site, at its new site", Duration.ofSeconds(30), () -> unchecked(() ->
                SiteClusters.column(PORT.get(CENTRAL), DB.get(CENTRAL),
                        "SELECT site_code FROM client_message_stats WHERE client_id = '" + id + "'")).equals(List.of(PRIMARIES[1])));
        assertThat(SiteClusters.column(PORT.get(CENTRAL), DB.get(CENTRAL),
                "SELECT DISTINCT site_code FROM topic_state WHERE client_id = '" + id + "'")).containsExactly(PRIMARIES[1]);
        awaitCentralEqualsUnion(Duration.ofSeconds(30));
    }

    @Test
    @Order(4)
    void aChildClusterStoppedShowsDegradedAtTheCentralSiteAndActiveOnceItIsBack() throws Exception {
        pgCluster("statesys_ps2", "stop");
        try {
            Api.await(PRIMARIES[1] + " degraded at the central site (its heartbeat older than degraded-after)", Duration.ofSeconds(30),
                    () -> status(centralSites(), PRIMARIES[1]).equals("degraded"));
            assertThat(status(centralSites(), PRIMARIES[0])).isEqualTo("active");
            assertThat(PROCESSOR.get(CENTRAL).url("/q/health/ready")).satisfies(u -> assertThat(Api.text(u)).contains("UP"));
        } finally {
            pgCluster("statesys_ps2", "start");
        }
        Api.await(PRIMARIES[1] + " active again", Duration.ofSeconds(60),
                () -> status(centralSites(), PRIMARIES[1]).equals("active"));
        awaitCentralCaughtUp(Duration.ofSeconds(60));
    }

    @Test
    @Order(5)
    void theCentralClusterStoppedForAMinuteUnderLoadCatchesUpWithNothingLostAndTheAuditExact() throws Exception {
        CompletableFuture<Simulation.Summary> load = CompletableFuture.supplyAsync(() -> unchecked(() -> run(
                load(PRIMARIES[0], Scenario.STEADY, 60, 23, Duration.ofSeconds(75)))));
        SiteClusters.sleep(5_000);
        pgCluster("statesys_cas", "stop");
        try {
            SiteClusters.sleep(20_000);
            HttpResponse<String> down = Api.getResponse(PROCESSOR.get(CENTRAL).url("/api/v1/sites"));
            assertThat(down.statusCode()).as("the central site says its database is down").isEqualTo(503);
            assertThat(load.isDone()).as("the primary keeps taking its clients' reports").isFalse();
            SiteClusters.sleep(40_000);
        } finally {
            pgCluster("statesys_cas", "start");
        }
        Simulation.Summary s = load.get(5, TimeUnit.MINUTES);
        assertThat(s.auditExact()).as("the primary's audit: %s", s.auditSample()).isTrue();
        assertThat(s.messagesAccepted()).isPositive();
        Api.await("the link active again", Duration.ofSeconds(120), () -> {
            JsonNode sites = centralSites();
            return sites != null && status(sites, PRIMARIES[0]).equals("active");
        });
        awaitCentralCaughtUp(Duration.ofSeconds(120));
        // and after it, the links run clean again
        Simulation.Summary more = run(load(PRIMARIES[1], Scenario.PATCH_TUESDAY, 20, 24, Duration.ofSeconds(4)));
        assertThat(more.auditExact()).isTrue();
        awaitCentralEqualsUnion(Duration.ofSeconds(60));
    }

    private static void pgCluster(String cluster, String action) throws Exception {
        List<String> command = new ArrayList<>(List.of("pg_ctlcluster", "--skip-systemctl-redirect", "15", cluster, action));
        if (action.equals("stop")) {
            command.addAll(List.of("-m", "fast"));
        }
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(2, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IllegalStateException("pg_ctlcluster " + action + ": " + out);
        }
    }

    interface Body<T> {
        T get() throws Exception;
    }

    private static <T> T unchecked(Body<T> body) {
        try {
            return body.get();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
