package io.statesys.e2e;

import org.junit.jupiter.api.Order;
import com.fasterxml.jackson.databind.JsonNode;
import io.statesys.core.report.ClientId;
import io.statesys.core.report.StateMessage;
import io.statesys.sim.client.ClientAgent;
import io.statesys.sim.client.ClientStateStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The resynchronisation loop across real processes: relay, processor and two resync-service
 * replicas on one fresh database, with the ages shortened by configuration.
 */
@Order(4)
class ResyncEndToEndTest {
    private static final String TOKEN = "e2e-admin";
    private static StatesysCluster cluster;
    private static ServiceProcess relay;
    private static ServiceProcess processor;
    private static List<ServiceProcess> resync;

    @BeforeAll
    static void start() throws Exception {
        cluster = new StatesysCluster(Map.of(
                "STATESYS_RESYNC_MIN_MISSING_MESSAGE_AGE", "2s",
                "STATESYS_RESYNC_CHECK_INTERVAL", "1s",
                "STATESYS_RESYNC_REISSUE_AFTER", "8s",
                "STATESYS_IDENTITY_CACHE_TTL", "1s",
                "STATESYS_ADMIN_TOKEN", TOKEN));
        List<ServiceProcess> s = cluster.start("mp-relay-service", "state-processor-service", "resync-service", "resync-service");
        relay = s.get(0);
        processor = s.get(1);
        resync = s.subList(2, 4);
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static ClientAgent client() {
        UUID id = UUID.randomUUID();
        ClientAgent a = new ClientAgent(id, "WKS-" + id.toString().substring(0, 4), ClientStateStore.inMemory(),
                URI.create(relay.baseUrl()), null, Api.HTTP, Clock.systemUTC());
        assertThat(a.register(null)).as("registered (approval auto)").isTrue();
        return a;
    }

    /** Twelve update detections, sent in three cycles; serials 5–9 never arrive. */
    private static void reportWithLostMessages(ClientAgent agent) {
        agent.loseInTransit(m -> m.serialNumber() >= 5 && m.serialNumber() <= 9);
        for (int cycle = 0; cycle < 3; cycle++) {
            for (int i = 0; i < 4; i++) {
                int n = cycle * 4 + i + 1;
                agent.record(500, "update-" + n, 3, 2, List.of("102"));
            }
            assertThat(agent.send().delivered()).isTrue();
        }
        agent.loseInTransit(null);
    }

    private static JsonNode serials(ClientAgent agent) {
        return Api.get(processor.url("/api/v1/clients/" + ClientId.format(agent.id()) + "/serials"));
    }

    private static JsonNode policy(ClientAgent agent) {
        return Api.get(relay.url("/api/v1/clients/" + ClientId.format(agent.id()) + "/policy"));
    }

    /**
     * A site restored from a backup older than a client's registration no longer knows its key (here
     * the identity is reset, which leaves the site in the same state): the client's report is refused
     * {@code 401 unknown_client}, it registers the same key again and sends the report again, and the
     * report is taken — nothing it sent is lost.
     */
    @Test
    void aClientTheSiteNoLongerKnowsRegistersItsKeyAgainAndItsReportIsTaken() throws Exception {
        ClientAgent agent = client();
        agent.record(500, "update-1", 3, 2, List.of("102"));
        assertThat(agent.send().delivered()).isTrue();
        String id = ClientId.format(agent.id());
        java.net.http.HttpResponse<String> reset = Api.HTTP.send(java.net.http.HttpRequest.newBuilder(
                        resync.get(0).url("/api/v1/clients/" + id + "/identity"))
                .header("Authorization", "Bearer " + TOKEN).DELETE().build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(reset.statusCode()).as(reset.body()).isEqualTo(200);
        // the relay forgets the key within the identity cache's time to live; every report meanwhile is taken
        int n = 2;
        while (agent.reregistrations() == 0) {
            assertThat(n).as("the relay refused the reset client within a few seconds").isLessThan(60);
            agent.record(500, "update-" + n++, 3, 2, List.of("102"));
            assertThat(agent.send().delivered()).as("report %d taken", n - 1).isTrue();
            Thread.sleep(250);
        }
        assertThat(agent.reregistrations()).isEqualTo(1);
        JsonNode identity = identityAsAdmin(id);
        assertThat(identity.path("status").asText()).isEqualTo("approved");
        int sent = n - 1;
        Api.await("every update loaded", Duration.ofSeconds(30), () -> serials(agent).path("messages").asLong() == sent);
        assertThat(serials(agent).path("missing").size()).isZero();
    }

    private static JsonNode identityAsAdmin(String id) throws Exception {
        java.net.http.HttpResponse<String> r = Api.HTTP.send(java.net.http.HttpRequest.newBuilder(
                        resync.get(0).url("/api/v1/clients/" + id + "/identity"))
                .header("Authorization", "Bearer " + TOKEN).GET().build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Api.json(r.body());
    }

    @Test
    void aClientWhoseMessagesWereLostIsResyncedAndEndsWithCompleteState() throws Exception {
        ClientAgent agent = client();
        reportWithLostMessages(agent);

        Api.await("the processor to see the gap 5-9", Duration.ofSeconds(20), () -> {
            JsonNode s = serials(agent);
            return s != null && s.path("missing").size() == 1
                    && s.path("missing").get(0).path("first").asLong() == 5 && s.path("missing").get(0).path("last").asLong() == 9;
        });
        Api.await("a resync request once the gap is old enough", Duration.ofSeconds(20), () -> !policy(agent).path("resync").isNull());

        assertThat(agent.pollPolicy()).as("the client answers the request").isTrue();

        Api.await("the completion to be processed", Duration.ofSeconds(20), () -> {
            JsonNode s = serials(agent);
            return s.path("missing").isEmpty() && !s.path("lastResyncClientCompletedTime").isNull();
        });
        JsonNode states = Api.get(processor.url("/api/v1/clients/" + ClientId.format(agent.id()) + "/states"));
        Set<String> topics = new HashSet<>();
        for (JsonNode s : states) {
            if (s.path("topicType").asInt() == 500) {
                topics.add(s.path("topicId").asText());
            }
        }
        Set<String> cached = new HashSet<>();
        for (StateMessage m : agent.cachedMessages()) {
            cached.add(m.topicId());
        }
        assertThat(topics).as("every topic, including those whose messages were lost").isEqualTo(cached).hasSize(12);
        assertThat(policy(agent).path("resync").isNull()).isTrue();
        assertThat(cluster.count("SELECT count(*) FROM resync_request WHERE client_id = '" + agent.id() + "' AND reissue_count > 0"))
                .as("no re-issue when the completion arrives").isZero();
    }

    /**
     * After a restore, a client whose first messages went to the site before the restore and were lost
     * with it shows no gap: its first serial the restored site sees is its baseline. The resync check
     * asks such a client — first heard from after the restore, serials not starting at 1 — once to
     * resend; a client whose serials start at 1 has lost nothing and is not asked.
     */
    @Test
    void afterARestoreAClientFirstHeardFromWhoseSerialsDoNotStartAtOneIsAskedOnceToResend() throws Exception {
        try (java.sql.Connection c = cluster.jdbc(); java.sql.Statement s = c.createStatement()) {
            s.execute("INSERT INTO site_restore (restore_point, backup_label) VALUES (now() - interval '1 minute', 'e2e')");
        }
        ClientAgent lost = client();
        lost.loseInTransit(m -> m.serialNumber() <= 3);
        for (int i = 1; i <= 5; i++) {
            lost.record(500, "update-" + i, 3, 2, List.of("102"));
        }
        assertThat(lost.send().delivered()).isTrue();
        lost.loseInTransit(null);
        ClientAgent whole = client();
        whole.record(500, "update-1", 3, 2, List.of("102"));
        assertThat(whole.send().delivered()).isTrue();

        Api.await("a resync request for the client first seen at serial 4", Duration.ofSeconds(30), () -> !policy(lost).path("resync").isNull());
        assertThat(cluster.count("SELECT count(*) FROM resync_request WHERE client_id = '" + lost.id() + "' AND reason = 'site-restored'"))
                .isEqualTo(1);
        assertThat(serials(lost).path("missing").size()).as("no gap shows the loss").isZero();
        assertThat(lost.pollPolicy()).as("the client answers the request").isTrue();
        Api.await("the completion to be processed", Duration.ofSeconds(20),
                () -> !serials(lost).path("lastResyncClientCompletedTime").isNull());
        Set<String> topics = new HashSet<>();
        for (JsonNode st : Api.get(processor.url("/api/v1/clients/" + ClientId.format(lost.id()) + "/states"))) {
            if (st.path("topicType").asInt() == 500) {
                topics.add(st.path("topicId").asText());
            }
        }
        assertThat(topics).as("the states of the messages lost with the restore too").hasSize(5);
        Thread.sleep(3000); // three more checks
        assertThat(cluster.count("SELECT count(*) FROM resync_request WHERE client_id = '" + lost.id() + "'")).as("asked once").isEqualTo(1);
        assertThat(cluster.count("SELECT count(*) FROM resync_request WHERE client_id = '" + whole.id() + "'"))
                .as("a client whose serials start at 1 lost nothing").isZero();
    }

    @Test
    void aRequestWhoseCompletionIsWithheldIsReissuedAndTheReissueIsAnswered() throws Exception {
        ClientAgent agent = client();
        reportWithLostMessages(agent);
        Api.await("a resync request", Duration.ofSeconds(30), () -> !policy(agent).path("resync").isNull());
        String first = policy(agent).path("resync").path("issuedAt").asText();

        Api.await("the request to be re-issued after the re-issue period", Duration.ofSeconds(30),
                () -> !policy(agent).path("resync").path("issuedAt").asText().equals(first));
        assertThat(cluster.count("SELECT reissue_count FROM resync_request WHERE client_id = '" + agent.id() + "' AND completed_at IS NULL"))
                .isGreaterThanOrEqualTo(1);

        assertThat(agent.pollPolicy()).isTrue();
        Api.await("both outstanding counts back to zero for this client", Duration.ofSeconds(20),
                () -> policy(agent).path("resync").isNull());
    }

    @Test
    void twoResyncReplicasNeverIssueTwiceAndTheOutstandingCountsReturnToZero() throws Exception {
        List<ClientAgent> agents = new java.util.ArrayList<>();
        for (int i = 0; i < 20; i++) {
            ClientAgent a = client();
            reportWithLostMessages(a);
            agents.add(a);
        }
        Api.await("requests for all 20 clients", Duration.ofSeconds(30),
                () -> agents.stream().noneMatch(a -> policy(a).path("resync").isNull()));

        for (ClientAgent a : agents) {
            assertThat(cluster.count("SELECT count(*) FROM resync_request WHERE client_id = '" + a.id() + "'")).isEqualTo(1);
        }
        long issued = 0;
        for (ServiceProcess r : resync) {
            issued += metric(r, "statesys_resync_issued_total");
        }
        assertThat(issued).as("issued across both replicas").isLessThanOrEqualTo(
                cluster.count("SELECT count(*) FROM resync_request"));

        for (ClientAgent a : agents) {
            a.pollPolicy();
        }
        Api.await("no outstanding resync", Duration.ofSeconds(30), () -> {
            JsonNode o = Api.get(resync.get(0).url("/api/v1/resync/outstanding"));
            return o.path("issuedNotCompleted").asLong() == 0 && o.path("neverCompleted").asLong() == 0;
        });
    }

    private static long metric(ServiceProcess p, String name) throws Exception {
        String text = Api.HTTP.send(java.net.http.HttpRequest.newBuilder(p.url("/q/metrics")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        for (String line : text.split("\n")) {
            if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
                return (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return 0;
    }
}
