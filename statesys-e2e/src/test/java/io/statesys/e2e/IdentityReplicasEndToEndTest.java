package io.statesys.e2e;

import io.statesys.core.report.ClientId;
import io.statesys.sim.client.ClientAgent;
import io.statesys.sim.client.ClientStateStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two relay replicas, each with its own identity cache: a block made through the resync service's
 * admin API reaches both within statesys.identity.cache-ttl, and so does the unblock.
 */
class IdentityReplicasEndToEndTest {
    private static final Duration TTL = Duration.ofSeconds(3);
    private static StatesysCluster cluster;
    private static ServiceProcess relayA;
    private static ServiceProcess relayB;
    private static ServiceProcess resync;

    @BeforeAll
    static void start() throws Exception {
        cluster = new StatesysCluster(Map.of("STATESYS_IDENTITY_CACHE_TTL", TTL.toSeconds() + "s"));
        List<ServiceProcess> s = cluster.start("mp-relay-service", "mp-relay-service", "resync-service");
        relayA = s.get(0);
        relayB = s.get(1);
        resync = s.get(2);
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aBlockAndAnUnblockReachEveryRelayReplicaWithinTheCacheTtl() throws Exception {
        UUID id = UUID.randomUUID();
        ClientStateStore shared = ClientStateStore.inMemory(); // one client, one key, talking to either replica
        ClientAgent viaA = new ClientAgent(id, "WKS-R", shared, URI.create(relayA.baseUrl()), null, Api.HTTP, Clock.systemUTC());
        ClientAgent viaB = new ClientAgent(id, "WKS-R", shared, URI.create(relayB.baseUrl()), null, Api.HTTP, Clock.systemUTC());
        assertThat(viaA.register(null)).isTrue();
        assertThat(send(viaA)).isEqualTo(202);
        assertThat(send(viaB)).isEqualTo(202); // both replicas now hold the identity in their caches

        admin("block", id);
        long blockedAt = System.nanoTime();
        Api.await("relay A to refuse the blocked client", TTL.plusSeconds(5), () -> send(viaA) == 403);
        Api.await("relay B to refuse the blocked client", TTL.plusSeconds(5), () -> send(viaB) == 403);
        assertThat(Duration.ofNanos(System.nanoTime() - blockedAt)).isLessThan(TTL.plusSeconds(5));

        admin("unblock", id);
        Api.await("relay A to take the client again", TTL.plusSeconds(5), () -> send(viaA) == 202);
        Api.await("relay B to take the client again", TTL.plusSeconds(5), () -> send(viaB) == 202);
    }

    private static int send(ClientAgent a) {
        synchronized (a) {
            a.record(500, "kb-" + System.nanoTime(), 3, 2, List.of());
            return a.send().status();
        }
    }

    private static void admin(String action, UUID id) throws Exception {
        HttpResponse<String> r = Api.post(resync.url("/api/v1/clients/" + ClientId.format(id) + "/" + action), StatesysCluster.ADMIN_TOKEN);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }
}
