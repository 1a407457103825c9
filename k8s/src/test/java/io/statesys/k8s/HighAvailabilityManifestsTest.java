package io.statesys.k8s;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The prod-ha overlay: production on a CloudNativePG Cluster, validated against the operator's own
 * CRD schemas (vendored test resources), the services on its read-write Service with its
 * application Secret and CA.
 */
class HighAvailabilityManifestsTest {
    private static Rendered ha;

    @BeforeAll
    static void render() throws Exception {
        ha = Rendered.kustomize("overlays/prod-ha");
    }

    @SuppressWarnings("unchecked")
    private static <T> T at(GenericKubernetesResource r, String... path) {
        Object o = r.getAdditionalProperties();
        for (String p : path) {
            o = ((Map<String, Object>) o).get(p);
        }
        return (T) o;
    }

    @Test
    void theClusterHasThreeInstancesOnThreeNodesWithQuorumSynchronousReplicationThatMustHold() {
        GenericKubernetesResource cluster = ha.named(GenericKubernetesResource.class, "statesys-db");
        assertThat(cluster.getKind()).isEqualTo("Cluster");
        assertThat((Integer) at(cluster, "spec", "instances")).isEqualTo(3);
        Map<String, Object> sync = at(cluster, "spec", "postgresql", "synchronous");
        assertThat(sync).containsEntry("method", "any").containsEntry("number", 1).containsEntry("dataDurability", "required");
        assertThat((Boolean) at(cluster, "spec", "enableSuperuserAccess")).isFalse();
        assertThat((String) at(cluster, "spec", "affinity", "podAntiAffinityType")).isEqualTo("required");
        assertThat((String) at(cluster, "spec", "affinity", "topologyKey")).isEqualTo("kubernetes.io/hostname");
        assertThat((Map<String, Object>) at(cluster, "spec", "bootstrap", "initdb")).containsEntry("database", "statesys").containsEntry("owner", "statesys");
        assertThat((Map<String, Object>) at(cluster, "spec", "resources", "requests")).containsKeys("cpu", "memory");
        assertThat((Boolean) at(cluster, "spec", "monitoring", "enablePodMonitor")).isTrue();
        assertThat((String) at(cluster, "spec", "imageName")).contains("postgresql:15");
    }

    @Test
    void everyServiceUsesTheReadWriteServiceTheApplicationSecretAndVerifiedTls() {
        Map<String, String> config = ha.named(ConfigMap.class, "statesys-config").getData();
        assertThat(config).containsEntry("STATESYS_DB_HOST", "statesys-db-rw").containsEntry("STATESYS_DB_SSL_MODE", "verify-full");
        List<Deployment> deployments = ha.all(Deployment.class);
        assertThat(deployments).hasSize(4);
        for (Deployment d : deployments) {
            Container c = d.getSpec().getTemplate().getSpec().getContainers().get(0);
            for (String[] e : new String[][] {{"STATESYS_DB_USER", "username"}, {"STATESYS_DB_PASSWORD", "password"}}) {
                assertThat(c.getEnv()).as(d.getMetadata().getName()).filteredOn(v -> v.getName().equals(e[0])).singleElement()
                        .satisfies(v -> {
                            assertThat(v.getValueFrom().getSecretKeyRef().getName()).isEqualTo("statesys-db-app");
                            assertThat(v.getValueFrom().getSecretKeyRef().getKey()).isEqualTo(e[1]);
                        });
            }
            // the operator's CA secret is <cluster>-ca: the one the prod overlay mounts
            assertThat(d.getSpec().getTemplate().getSpec().getVolumes()).anySatisfy(v ->
                    assertThat(v.getSecret() == null ? null : v.getSecret().getSecretName()).isEqualTo("statesys-db-ca"));
        }
    }

    @Test
    void theInstancesAcceptOnlyTheServicesEachOtherAndTheOperator() {
        NetworkPolicy p = ha.named(NetworkPolicy.class, "statesys-db");
        assertThat(p.getSpec().getPodSelector().getMatchLabels()).containsEntry("cnpg.io/cluster", "statesys-db");
        assertThat(p.getSpec().getIngress()).allSatisfy(rule -> assertThat(rule.getFrom()).isNotEmpty());
    }

    @Test
    void theClusterArchivesWalAndANightlyScheduledBackupTakesBaseBackupsIntoTheObjectStore() {
        GenericKubernetesResource cluster = ha.named(GenericKubernetesResource.class, "statesys-db");
        Map<String, Object> store = at(cluster, "spec", "backup", "barmanObjectStore");
        assertThat((String) store.get("destinationPath")).startsWith("s3://");
        assertThat((String) at(cluster, "spec", "backup", "barmanObjectStore", "s3Credentials", "accessKeyId", "name")).isEqualTo("statesys-db-backup");
        assertThat((String) at(cluster, "spec", "backup", "retentionPolicy")).isEqualTo("30d");
        GenericKubernetesResource daily = ha.named(GenericKubernetesResource.class, "statesys-db-daily");
        assertThat(daily.getKind()).isEqualTo("ScheduledBackup");
        assertThat((String) at(daily, "spec", "cluster", "name")).isEqualTo("statesys-db");
        assertThat((String) at(daily, "spec", "method")).isEqualTo("barmanObjectStore");
        // six fields: CloudNativePG's cron starts with seconds
        assertThat(((String) at(daily, "spec", "schedule")).split(" ")).hasSize(6);
    }

    @Test
    void aScheduledBackupFieldTheOperatorDoesNotKnowFailsTheValidation() {
        String doc = """
                apiVersion: postgresql.cnpg.io/v1
                kind: ScheduledBackup
                metadata:
                  name: x
                spec:
                  schedule: "0 30 1 * * *"
                  method: pgbackrest
                  cluster:
                    name: statesys-db
                """;
        assertThat(CrdSchemas.problems(doc)).anyMatch(m -> m.contains("method") || m.contains("pgbackrest"));
    }

    @Test
    void aClusterFieldTheOperatorDoesNotKnowFailsTheValidation() {
        String doc = """
                apiVersion: postgresql.cnpg.io/v1
                kind: Cluster
                metadata:
                  name: x
                spec:
                  instances: 3
                  postgresql:
                    synchronous:
                      method: quorum
                      number: 1
                  storage:
                    size: 1Gi
                  enableSuperUserAccess: false
                """;
        assertThat(CrdSchemas.problems(doc)).anyMatch(m -> m.contains("enableSuperUserAccess"))
                .anyMatch(m -> m.contains("method") || m.contains("quorum"));
    }
}
