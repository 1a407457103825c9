package io.statesys.e2e;

import org.junit.jupiter.api.Order;
import io.statesys.sim.simulate.EnrolmentTokenRequest;
import io.statesys.sim.simulate.Scenario;
import io.statesys.sim.simulate.Simulation;
import io.statesys.testing.FreshDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The simulator against the four real services (two processor replicas on one inbox): tens of
 * clients with every fault on, and the audit must come out exact.
 */
@Order(5)
class SimulationEndToEndTest {
    private static StatesysCluster cluster;
    private static ServiceProcess relay;
    private static ServiceProcess fsp;
    private static ServiceProcess processor;
    private static ServiceProcess resync;

    @BeforeAll
    static void start() throws Exception {
        int relayPort = ServiceProcess.freePort();
        cluster = new StatesysCluster(Map.of(
                "STATESYS_FSP_THROTTLE_MESSAGES", "100000", "STATESYS_FSP_THROTTLE_INTERVAL", "1s",
                "STATESYS_FSP_RELAY_URL", "http://127.0.0.1:" + relayPort,
                "STATESYS_IDENTITY_APPROVAL", "token"));
        relay = cluster.startOn("mp-relay-service", relayPort, Map.of());
        // two processor replicas drain one inbox
        List<ServiceProcess> s = cluster.start("fallback-status-service", "state-processor-service", "resync-service", "state-processor-service");
        fsp = s.get(0);
        processor = s.get(1);
        resync = s.get(2);
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static Simulation.Options options(Scenario scenario, int clients, double drop, double duplicate, double reorder, long seed) {
        return options(scenario, clients, drop, duplicate, reorder, seed, 0);
    }

    /** Clients register with an enrolment token the admin API made for the run (approval mode token). */
    private static Simulation.Options options(Scenario scenario, int clients, double drop, double duplicate, double reorder, long seed,
                                              double spoof) {
        return Simulation.Options.builder().clients(clients).scenario(scenario).patchTuesday(10, 7)
                .steady(Duration.ofMillis(500), Duration.ofSeconds(4)).faults(drop, duplicate, reorder)
                .relay(URI.create(relay.baseUrl())).fsp(URI.create(fsp.baseUrl())).processor(URI.create(processor.baseUrl()))
                .seed(seed).concurrency(8).database(FreshDatabase.jdbcUrl(cluster.database()), FreshDatabase.user(), FreshDatabase.password())
                .drainTimeout(Duration.ofSeconds(60)).spoof(spoof)
                .enrolmentToken(EnrolmentTokenRequest.create(URI.create(resync.baseUrl()), StatesysCluster.ADMIN_TOKEN)).build();
    }

    private static Simulation.Summary run(Simulation.Options o) throws Exception {
        return new Simulation(o, new PrintStream(PrintStream.nullOutputStream()), false).run();
    }

    @Test
    void patchTuesdayWithDropsDuplicatesAndReorderingAuditsExact() throws Exception {
        Simulation.Summary s = run(options(Scenario.PATCH_TUESDAY, 40, 0.05, 0.1, 0.1, 11));
        assertThat(s.drained()).isTrue();
        assertThat(s.messagesLost()).isPositive();
        assertThat(s.messagesAccepted()).isGreaterThan(s.messagesSent() - s.messagesLost());
        assertThat(s.messagesWithoutSerial()).as("script results without SerialNumber in the mix").isPositive();
        assertThat(s.auditProblems()).as("%s", s.auditSample()).isZero();
        assertThat(s.auditExact()).isTrue();
        assertThat(s.defects()).as("5xx other than 503: %s", s.answers()).isZero();
    }

    @Test
    void steadyClientsWithFaultsAuditExact() throws Exception {
        Simulation.Summary s = run(options(Scenario.STEADY, 30, 0.05, 0.05, 0.05, 12));
        assertThat(s.messagesAccepted()).isPositive();
        assertThat(s.auditExact()).as("%s", s.auditSample()).isTrue();
    }

    @Test
    void clientDeploymentThroughTheFallbackStatusPointAuditsExact() throws Exception {
        // 800 messages unsigned through the FSP before registration, then registered and signed through the relay
        Simulation.Summary s = run(options(Scenario.CLIENT_DEPLOYMENT, 25, 0, 0, 0, 13));
        assertThat(s.messagesViaFsp()).isEqualTo(100);
        assertThat(s.clientsRegistered()).isEqualTo(25);
        assertThat(s.messagesAccepted()).isEqualTo(125);
        assertThat(s.auditExact()).as("%s", s.auditSample()).isTrue();
    }

    @Test
    void spoofedReportsThroughRelayAndFspAreAllRefusedAndChangeNothing() throws Exception {
        Simulation.Summary s = run(options(Scenario.PATCH_TUESDAY, 30, 0.02, 0.05, 0.05, 14, 0.05));
        assertThat(s.spoofsSent()).isPositive();
        assertThat(s.spoofsRefused()).isEqualTo(s.spoofsSent());
        assertThat(s.clientsRegistered()).isEqualTo(30);
        assertThat(s.auditExact()).as("%s", s.auditSample()).isTrue();
    }
}
