package io.statesys.k8s;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

class KubernetesManifestsTest {
    private static final Set<String> NOT_IN_CONFIGMAP = Set.of(
            "STATESYS_ADMIN_TOKEN", "STATESYS_ADMIN_TOKEN_SHA256", "STATESYS_DB_USER", "STATESYS_DB_PASSWORD", "STATESYS_INTERNAL_TOKEN", // secrets
            "STATESYS_SITE_PARENT_CONNECTION", "STATESYS_SITE_CHILDREN", // secrets (connection strings with passwords)
            "STATESYS_SITE_LINK_USER", "STATESYS_SITE_LINK_PASSWORD", // secrets (the links' superuser)
            "STATESYS_CONSOLE_VIEWER_TOKEN", // secret
            "STATESYS_LIMITS_MAX_INFLIGHT_BODY_BYTES", // unset: an eighth of the pod's heap, which follows its limit
            "STATESYS_LOADER_AUTO_START", "STATESYS_FSP_FORWARDER_AUTO_START"); // test switches

    private static Rendered base;
    private static Rendered dev;
    private static Rendered prod;
    private static Rendered prodNative;

    @BeforeAll
    static void render() throws Exception {
        base = Rendered.kustomize("base");
        dev = Rendered.kustomize("overlays/dev");
        prod = Rendered.kustomize("overlays/prod");
        prodNative = Rendered.kustomize("overlays/prod-native");
    }

    @Test
    void baseAndBothOverlaysRenderIntoKnownKubernetesObjects() {
        assertThat(base.all(Deployment.class)).extracting(d -> d.getMetadata().getName()).containsExactlyInAnyOrderElementsOf(ServiceFacts.SERVICES);
        assertThat(dev.all(StatefulSet.class)).extracting(s -> s.getMetadata().getName()).containsExactly("statesys-postgres");
        assertThat(prod.all(StatefulSet.class)).isEmpty();
        for (Rendered r : List.of(base, dev, prod)) {
            assertThat(r.objects).allMatch(o -> "statesys".equals(o.getMetadata().getNamespace()) || o.getKind().equals("Namespace"));
        }
    }

    @Test
    void theNativeOverlayIsProdWithTheNativeImagesAndSmallerPods() throws Exception {
        for (String name : ServiceFacts.SERVICES) {
            Deployment jvm = prod.named(Deployment.class, name);
            Deployment nat = prodNative.named(Deployment.class, name);
            assertThat(image(nat)).isEqualTo("registry.example.com/" + ServiceFacts.image(name) + ":1.0.0-native");
            var jvmLimit = jvm.getSpec().getTemplate().getSpec().getContainers().get(0).getResources().getLimits().get("memory");
            var natRes = nat.getSpec().getTemplate().getSpec().getContainers().get(0).getResources();
            assertThat(io.fabric8.kubernetes.api.model.Quantity.getAmountInBytes(natRes.getLimits().get("memory")))
                    .isLessThan(io.fabric8.kubernetes.api.model.Quantity.getAmountInBytes(jvmLimit));
            assertThat(io.fabric8.kubernetes.api.model.Quantity.getAmountInBytes(natRes.getRequests().get("memory")))
                    .isLessThanOrEqualTo(io.fabric8.kubernetes.api.model.Quantity.getAmountInBytes(natRes.getLimits().get("memory")));
            assertThat(nat.getSpec().getReplicas()).isEqualTo(jvm.getSpec().getReplicas());
        }
        assertThat(prodNative.objects).hasSameSizeAs(prod.objects);
    }

    /** What a JVM service needs besides its heap, measured with the heap full (docs/performance.md, RSS): ≤ 185 MiB. */
    private static final long NON_HEAP_BYTES = 185L << 20;

    @Test
    void eachJvmPodsFixedHeapLeavesRoomForWhatTheJvmNeedsBesidesAndItsRequestIsItsLimit() {
        for (Rendered r : List.of(base, prod)) {
            for (Deployment d : r.all(Deployment.class)) {
                Container c = d.getSpec().getTemplate().getSpec().getContainers().get(0);
                // a request below the limit lets a node overcommit memory the JVM will take
                assertThat(c.getResources().getRequests().get("memory")).as(d.getMetadata().getName())
                        .isEqualTo(c.getResources().getLimits().get("memory"));
                long limit = io.fabric8.kubernetes.api.model.Quantity.getAmountInBytes(c.getResources().getLimits().get("memory")).longValue();
                String options = c.getEnv().stream().filter(e -> e.getName().equals("JAVA_TOOL_OPTIONS")).map(e -> e.getValue())
                        .findFirst().orElseThrow(() -> new AssertionError(d.getMetadata().getName() + " sets no JAVA_TOOL_OPTIONS"));
                assertThat(options).contains("-XX:+UseSerialGC").contains("-XX:+ExitOnOutOfMemoryError").contains("-XX:+AlwaysPreTouch");
                // the heap is fixed (initial = maximum) and, for a limit this small, the JVM takes MinRAMPercentage
                double initial = percentage(options, "InitialRAMPercentage");
                double min = percentage(options, "MinRAMPercentage");
                double max = percentage(options, "MaxRAMPercentage");
                assertThat(List.of(initial, min)).as(options).containsOnly(max);
                long heap = (long) (limit * max / 100);
                assertThat(heap).as(d.getMetadata().getName() + ": heap of a %d MiB limit", limit >> 20).isGreaterThanOrEqualTo(96L << 20);
                // the peak with the heap full stays under 300 MiB (issue 13) and inside the limit
                assertThat(heap + NON_HEAP_BYTES).as(d.getMetadata().getName()).isLessThan(300L << 20).isLessThanOrEqualTo(limit);
            }
        }
    }

    private static double percentage(String options, String flag) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("-XX:" + flag + "=([0-9.]+)").matcher(options);
        assertThat(m.find()).as(flag + " in " + options).isTrue();
        return Double.parseDouble(m.group(1));
    }

    @Test
    void theStrictParseCatchesAMisspeltField() {
        String yaml = """
                apiVersion: v1
                kind: Service
                metadata:
                  name: x
                spec:
                  selctor:
                    app: x
                """;
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Rendered.parse(yaml))
                .isInstanceOf(AssertionError.class).hasMessageContaining("selctor");
    }

    @Test
    void theStrictParseCatchesAnUnknownKind() {
        String yaml = """
                apiVersion: example.com/v1
                kind: Gadget
                metadata:
                  name: x
                """;
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Rendered.parse(yaml))
                .isInstanceOf(AssertionError.class).hasMessageContaining("Gadget");
    }

    @Test
    void everyContainerListensOnItsServicesHttpPortAndIsProbedThere() throws Exception {
        for (Deployment d : base.all(Deployment.class)) {
            String name = d.getMetadata().getName();
            int port = ServiceFacts.httpPort(name);
            Container c = d.getSpec().getTemplate().getSpec().getContainers().get(0);
            assertThat(c.getPorts()).singleElement().satisfies(p -> {
                assertThat(p.getContainerPort()).isEqualTo(port);
                assertThat(p.getName()).isEqualTo("http");
            });
            assertThat(env(c).get("QUARKUS_HTTP_PORT")).isEqualTo(String.valueOf(port));
            assertProbe(c.getStartupProbe(), "/q/health/started");
            assertProbe(c.getLivenessProbe(), "/q/health/live");
            assertProbe(c.getReadinessProbe(), "/q/health/ready");
            Service s = base.named(Service.class, name);
            assertThat(s.getSpec().getPorts().get(0).getPort()).isEqualTo(port);
            assertThat(s.getSpec().getSelector()).isEqualTo(d.getSpec().getSelector().getMatchLabels());
            assertThat(d.getSpec().getTemplate().getMetadata().getAnnotations())
                    .containsEntry("prometheus.io/scrape", "true").containsEntry("prometheus.io/path", "/q/metrics")
                    .containsEntry("prometheus.io/port", String.valueOf(port));
        }
    }

    private static void assertProbe(Probe probe, String path) {
        assertThat(probe).as(path).isNotNull();
        HTTPGetAction get = probe.getHttpGet();
        assertThat(get.getPath()).isEqualTo(path);
        assertThat(get.getPort().getStrVal()).isEqualTo("http");
    }

    @Test
    void imagesAreTheOnesJibBuildsAndPinnedInProd() throws Exception {
        for (Deployment d : base.all(Deployment.class)) {
            String name = d.getMetadata().getName();
            assertThat(image(d)).isEqualTo(ServiceFacts.image(name) + ":latest");
            assertThat(image(prod.named(Deployment.class, name))).isEqualTo("registry.example.com/" + ServiceFacts.image(name) + ":1.0.0");
        }
    }

    @Test
    void containersRunLockedDown() {
        for (Deployment d : base.all(Deployment.class)) {
            var pod = d.getSpec().getTemplate().getSpec();
            assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
            assertThat(pod.getServiceAccountName()).isEqualTo(d.getMetadata().getName());
            assertThat(pod.getTopologySpreadConstraints()).isNotEmpty();
            Container c = pod.getContainers().get(0);
            assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
            assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
            assertThat(c.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
            assertThat(c.getResources().getRequests()).containsKeys("cpu", "memory");
            assertThat(c.getResources().getLimits()).containsKeys("cpu", "memory");
            assertThat(c.getVolumeMounts()).anyMatch(m -> m.getMountPath().equals("/tmp"));
            assertThat(base.named(ServiceAccount.class, d.getMetadata().getName())).isNotNull();
        }
    }

    @Test
    void aCentralSiteRunsNoRelayAndNoFspAndItsProcessorSubscribesToTheChildrenNamedInASecret() throws Exception {
        Rendered central = Rendered.kustomize("overlays/site-central");
        assertThat(central.objects).extracting(o -> o.getKind() + "/" + o.getMetadata().getName())
                .noneMatch(n -> n.contains("mp-relay-service") || n.contains("fallback-status-service"))
                .contains("Deployment/state-processor-service", "Deployment/resync-service");
        Map<String, String> config = central.named(ConfigMap.class, "statesys-config").getData();
        assertThat(config).containsEntry("STATESYS_SITE_CODE", "CAS").containsEntry("STATESYS_SITE_PARENT", "");
        assertThat(secretEnv(central, "state-processor-service", "STATESYS_SITE_CHILDREN")).isEqualTo("statesys-site/children");
        assertThat(secretEnv(central, "state-processor-service", "STATESYS_SITE_LINK_PASSWORD")).isEqualTo("statesys-site/link-password");
        assertThat(central.objects).as("rendered from production").hasSize(prod.objects.size() - 14);
    }

    @Test
    void aPrimarySiteNamesItsParentAndReadsTheParentConnectionFromASecret() throws Exception {
        Rendered primary = Rendered.kustomize("overlays/site-primary");
        Map<String, String> config = primary.named(ConfigMap.class, "statesys-config").getData();
        assertThat(config).containsEntry("STATESYS_SITE_CODE", "PS1").containsEntry("STATESYS_SITE_PARENT", "CAS");
        assertThat(config.get("STATESYS_SITE_CODE")).matches("[A-Z0-9]{3}");
        assertThat(secretEnv(primary, "state-processor-service", "STATESYS_SITE_PARENT_CONNECTION"))
                .isEqualTo("statesys-site/parent-connection");
        assertThat(primary.objects).hasSameSizeAs(prod.objects);
        assertThat(config).doesNotContainKeys("STATESYS_SITE_PARENT_CONNECTION", "STATESYS_SITE_CHILDREN");
        assertThat(secretEnv(primary, "state-processor-service", "STATESYS_SITE_LINK_USER")).isEqualTo("statesys-site/link-user");
        for (String door : new String[] {"mp-relay-service", "fallback-status-service"}) {
            assertThat(primary.named(Deployment.class, door).getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
                    .as("%s holds no superuser's credentials", door).noneMatch(e -> e.getName().startsWith("STATESYS_SITE_LINK_"));
        }
    }

    private static String secretEnv(Rendered r, String deployment, String name) {
        Container c = r.named(Deployment.class, deployment).getSpec().getTemplate().getSpec().getContainers().get(0);
        EnvVar e = c.getEnv().stream().filter(v -> v.getName().equals(name)).findFirst().orElseThrow();
        return e.getValueFrom().getSecretKeyRef().getName() + "/" + e.getValueFrom().getSecretKeyRef().getKey();
    }

    @Test
    void theConfigMapHoldsEverySettingAndOnlyRealOnes() throws Exception {
        Set<String> real = ServiceFacts.settingsAsEnv();
        Map<String, String> data = base.named(ConfigMap.class, "statesys-config").getData();
        assertThat(real).contains("STATESYS_LOADER_CHUNK_SIZE", "STATESYS_RESYNC_MIN_MISSING_MESSAGE_AGE", "STATESYS_FSP_THROTTLE_INTERVAL");
        assertThat(real).containsAll(data.keySet());
        Set<String> expected = new TreeSet<>(real);
        expected.removeAll(NOT_IN_CONFIGMAP);
        assertThat(new TreeSet<>(data.keySet())).isEqualTo(expected);
        assertThat(data).containsEntry("STATESYS_LOADER_CHUNK_SIZE", "256").containsEntry("STATESYS_RETRY_CONFIG", "7200,28800,86400")
                .containsEntry("STATESYS_FSP_RELAY_URL", "http://mp-relay-service:8081");
        for (Deployment d : base.all(Deployment.class)) {
            Container c = d.getSpec().getTemplate().getSpec().getContainers().get(0);
            assertThat(c.getEnvFrom()).anyMatch(e -> e.getConfigMapRef() != null && e.getConfigMapRef().getName().equals("statesys-config"));
            assertThat(c.getEnv()).filteredOn(e -> e.getName().equals("STATESYS_DB_PASSWORD"))
                    .singleElement().satisfies(e -> assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo("statesys-db"));
        }
    }

    @Test
    void onlyTheRelayAndTheFspHoldTheInternalToken() {
        Set<String> holders = new TreeSet<>();
        for (Deployment d : base.all(Deployment.class)) {
            Container c = d.getSpec().getTemplate().getSpec().getContainers().get(0);
            if (c.getEnv().stream().anyMatch(e -> e.getName().equals("STATESYS_INTERNAL_TOKEN"))) {
                holders.add(d.getMetadata().getName());
            }
        }
        assertThat(holders).containsExactly("fallback-status-service", "mp-relay-service");
    }

    @Test
    void productionVerifiesTheDatabasesCertificateInEveryPod() {
        Map<String, String> config = prod.named(ConfigMap.class, "statesys-config").getData();
        assertThat(config).containsEntry("STATESYS_DB_SSL_MODE", "verify-full")
                .containsEntry("STATESYS_DB_SSL_ROOT_CERT", "/etc/statesys/db-ca/ca.crt");
        assertThat(base.named(ConfigMap.class, "statesys-config").getData()).containsEntry("STATESYS_DB_SSL_MODE", "disable");
        for (Deployment d : prod.all(Deployment.class)) {
            var spec = d.getSpec().getTemplate().getSpec();
            assertThat(spec.getVolumes()).as(d.getMetadata().getName()).anySatisfy(v -> {
                assertThat(v.getName()).isEqualTo("db-ca");
                assertThat(v.getSecret().getSecretName()).isEqualTo("statesys-db-ca");
            });
            assertThat(spec.getContainers().get(0).getVolumeMounts()).as(d.getMetadata().getName())
                    .anySatisfy(m -> assertThat(m.getMountPath() + "/ca.crt").isEqualTo(config.get("STATESYS_DB_SSL_ROOT_CERT")));
        }
    }

    @Test
    void noInternetFacingPodHoldsTheAdminTokenAndTheFspHoldsOnlyItsDigest() {
        Map<String, Set<String>> adminEnv = new java.util.TreeMap<>();
        for (Deployment d : base.all(Deployment.class)) {
            Container c = d.getSpec().getTemplate().getSpec().getContainers().get(0);
            Set<String> names = new TreeSet<>();
            c.getEnv().stream().map(e -> e.getName()).filter(n -> n.startsWith("STATESYS_ADMIN_TOKEN")).forEach(names::add);
            adminEnv.put(d.getMetadata().getName(), names);
        }
        assertThat(adminEnv.get("mp-relay-service")).isEmpty();
        assertThat(adminEnv.get("fallback-status-service")).containsExactly("STATESYS_ADMIN_TOKEN_SHA256");
        assertThat(dev.all(io.fabric8.kubernetes.api.model.Secret.class)).filteredOn(s -> s.getMetadata().getName().equals("statesys-admin"))
                .singleElement().satisfies(s -> assertThat(s.getStringData().get("token-sha256"))
                        .isEqualTo(sha256Hex(s.getStringData().get("token"))));
    }

    private static String sha256Hex(String s) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void theDevelopmentDatabaseCheckpointsByTimeWithWalThatFitsItsVolume() {
        StatefulSet pg = dev.named(StatefulSet.class, "statesys-postgres");
        List<String> args = pg.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs();
        assertThat(String.join(" ", args)).contains("-c max_wal_size=4GB", "-c checkpoint_timeout=15min");
        var volume = pg.getSpec().getVolumeClaimTemplates().get(0).getSpec().getResources().getRequests().get("storage");
        // max_wal_size is a soft limit: a checkpoint can run late, so leave the WAL twice its size
        assertThat(io.fabric8.kubernetes.api.model.Quantity.getAmountInBytes(volume).longValue()).isGreaterThanOrEqualTo(8L << 30);
    }

    @Test
    void onlyTheRelayAndTheFspAcceptTrafficFromOutsideTheNamespace() {
        Set<String> open = new TreeSet<>();
        for (String component : List.of("mp-relay-service", "fallback-status-service", "state-processor-service", "resync-service", "statesys-postgres")) {
            for (NetworkPolicy p : dev.all(NetworkPolicy.class)) {
                if (selects(p.getSpec().getPodSelector(), component) && p.getSpec().getIngress() != null) {
                    for (NetworkPolicyIngressRule r : p.getSpec().getIngress()) {
                        if (r.getFrom() == null || r.getFrom().isEmpty()
                                || r.getFrom().stream().anyMatch(f -> f.getNamespaceSelector() != null || f.getIpBlock() != null)) {
                            open.add(component);
                        }
                    }
                }
            }
        }
        assertThat(open).containsExactly("fallback-status-service", "mp-relay-service");
        assertThat(dev.named(NetworkPolicy.class, "default-deny").getSpec().getPolicyTypes()).contains("Ingress", "Egress");
    }

    @Test
    void theRelayAndTheFspAdmitOnlyTheIngressControllerAndTheirOwnCallers() {
        Map<String, Set<String>> expected = Map.of(
                "mp-relay-service-ingress", Set.of("ns:ingress-nginx", "fallback-status-service", "resync-service"),
                "fallback-status-service-ingress", Set.of("ns:ingress-nginx", "resync-service"));
        expected.forEach((name, peers) -> {
            Set<String> found = new TreeSet<>();
            for (NetworkPolicyIngressRule r : dev.named(NetworkPolicy.class, name).getSpec().getIngress()) {
                assertThat(r.getFrom()).as(name + ": every rule names who").isNotEmpty();
                for (NetworkPolicyPeer peer : r.getFrom()) {
                    assertThat(peer.getIpBlock()).isNull();
                    if (peer.getNamespaceSelector() != null) {
                        assertThat(peer.getPodSelector()).isNull();
                        found.add("ns:" + peer.getNamespaceSelector().getMatchLabels().get("kubernetes.io/metadata.name"));
                    } else {
                        found.add(peer.getPodSelector().getMatchLabels().get("app.kubernetes.io/name"));
                    }
                }
            }
            assertThat(found).as(name).isEqualTo(new TreeSet<>(peers));
        });
    }

    @Test
    void onlyTheFourServicesReachPostgres() {
        NetworkPolicy p = dev.named(NetworkPolicy.class, "statesys-postgres-ingress");
        Set<String> allowed = new HashSet<>();
        for (NetworkPolicyIngressRule r : p.getSpec().getIngress()) {
            for (NetworkPolicyPeer peer : r.getFrom()) {
                for (String c : List.of("mp-relay-service", "fallback-status-service", "state-processor-service", "resync-service", "other")) {
                    if (peer.getPodSelector() != null && selects(peer.getPodSelector(), c)) {
                        allowed.add(c);
                    }
                }
            }
        }
        assertThat(allowed).isEqualTo(ServiceFacts.SERVICES);
    }

    /** The console (in the resync service) asks each other service on its own port. */
    @Test
    void theConsoleReachesTheOtherThreeServices() {
        Map<String, Integer> ports = Map.of("mp-relay-service", 8081, "fallback-status-service", 8082, "state-processor-service", 8083);
        Set<String> reached = new TreeSet<>();
        for (NetworkPolicy p : base.all(NetworkPolicy.class)) {
            if (p.getSpec().getEgress() == null || !selects(p.getSpec().getPodSelector(), "resync-service")) {
                continue;
            }
            for (NetworkPolicyEgressRule r : p.getSpec().getEgress()) {
                ports.forEach((service, port) -> {
                    boolean to = r.getTo() != null && r.getTo().stream().anyMatch(t -> t.getPodSelector() != null && selects(t.getPodSelector(), service));
                    if (to && r.getPorts().stream().anyMatch(x -> port.equals(x.getPort().getIntVal()))) {
                        reached.add(service);
                    }
                });
            }
        }
        assertThat(reached).containsExactlyInAnyOrderElementsOf(ports.keySet());
        assertThat(base.named(io.fabric8.kubernetes.api.model.ConfigMap.class, "statesys-config").getData())
                .containsEntry("STATESYS_CONSOLE_RELAY_URL", "http://mp-relay-service:8081")
                .containsEntry("STATESYS_CONSOLE_FSP_URL", "http://fallback-status-service:8082")
                .containsEntry("STATESYS_CONSOLE_PROCESSOR_URL", "http://state-processor-service:8083");
    }

    @Test
    void theFspReachesTheRelay() {
        boolean reaches = false;
        for (NetworkPolicy p : base.all(NetworkPolicy.class)) {
            if (p.getSpec().getEgress() == null || !selects(p.getSpec().getPodSelector(), "fallback-status-service")) {
                continue;
            }
            for (NetworkPolicyEgressRule r : p.getSpec().getEgress()) {
                boolean toRelay = r.getTo() != null && r.getTo().stream().anyMatch(t -> t.getPodSelector() != null && selects(t.getPodSelector(), "mp-relay-service"));
                boolean onPort = r.getPorts().stream().anyMatch(port -> port.getPort().getIntVal() == 8081);
                reaches |= toRelay && onPort;
            }
        }
        assertThat(reaches).isTrue();
    }

    @Test
    void scalingAndDisruptionBudgetsAreInPlace() {
        assertThat(base.all(HorizontalPodAutoscaler.class)).extracting(h -> h.getSpec().getScaleTargetRef().getName())
                .containsExactlyInAnyOrder("mp-relay-service", "state-processor-service");
        assertThat(base.all(PodDisruptionBudget.class)).hasSize(4);
        assertThat(base.all(Ingress.class)).extracting(i -> i.getSpec().getRules().get(0).getHttp().getPaths().get(0).getBackend().getService().getName())
                .containsExactlyInAnyOrder("mp-relay-service", "fallback-status-service");
        assertThat(dev.all(Deployment.class)).allMatch(d -> d.getSpec().getReplicas() == 1);
        assertThat(prod.named(Deployment.class, "mp-relay-service").getSpec().getReplicas()).isEqualTo(3);
    }

    private static String image(Deployment d) {
        return d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
    }

    private static Map<String, String> env(Container c) {
        Map<String, String> out = new java.util.HashMap<>();
        for (EnvVar e : c.getEnv()) {
            out.put(e.getName(), e.getValue());
        }
        return out;
    }

    /** Whether a selector matches the pod labelled app.kubernetes.io/name=component. */
    private static boolean selects(LabelSelector s, String component) {
        Map<String, String> labels = Map.of("app.kubernetes.io/name", component);
        if (s.getMatchLabels() != null) {
            for (Map.Entry<String, String> e : s.getMatchLabels().entrySet()) {
                if (!e.getValue().equals(labels.get(e.getKey()))) {
                    return false;
                }
            }
        }
        if (s.getMatchExpressions() != null) {
            for (LabelSelectorRequirement r : s.getMatchExpressions()) {
                String v = labels.get(r.getKey());
                boolean in = v != null && r.getValues().contains(v);
                if (r.getOperator().equals("In") != in) {
                    return false;
                }
            }
        }
        return true;
    }
}
