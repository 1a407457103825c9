package io.statesys.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * k8s/monitoring: the alert rules pass {@code promtool check rules} and their unit tests
 * ({@code promtool test rules}, Debian's prometheus package; ./statesys test installs it), and the
 * rules and the Grafana dashboard only name metrics the services' code registers.
 */
class KubernetesMonitoringTest {
    private static final Path MONITORING = Path.of("monitoring").toAbsolutePath();
    private static final Pattern REGISTERED = Pattern.compile("(Counter|Gauge|Timer|DistributionSummary)\\.builder\\(\"([a-z._]+)\"|registry\\.gauge\\(\"([a-z._]+)\"");
    /** A meter registered by a constant of its own class ({@code Timer.builder(COMMIT_TIME)}), and the constants of that class. */
    private static final Pattern REGISTERED_BY_CONSTANT = Pattern.compile("(Counter|Gauge|Timer|DistributionSummary)\\.builder\\(([A-Z_]+)\\)");
    private static final Pattern CONSTANT = Pattern.compile("static final String ([A-Z_]+) = \"([a-z._]+)\";");
    private static final Pattern USED = Pattern.compile("\\bstatesys_[a-z_]+");

    static String promtool(Path dir, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(System.getProperty("statesys.promtool", "promtool"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", cmd) + ":\n" + out).isZero();
        return out;
    }

    @Test
    void theAlertRulesAreValidAndTheirUnitTestsPass() throws Exception {
        assertThat(promtool(MONITORING, "check", "rules", "statesys-alerts.yaml")).contains("SUCCESS");
        assertThat(promtool(MONITORING.resolve("tests"), "test", "rules", "statesys-alerts-test.yaml")).contains("SUCCESS");
    }

    @Test
    void everyAlertTheIssueAsksForIsThere() throws IOException {
        String rules = Files.readString(MONITORING.resolve("statesys-alerts.yaml"));
        for (String alert : new String[] {"StatesysServiceDown", "StatesysBacklogOld", "StatesysInboxGrowing", "StatesysFspDeadLetters",
                "StatesysResyncStorm", "StatesysSiteReplicationLag", "StatesysWalArchivingFailing", "StatesysBackupOld"}) {
            assertThat(rules).contains("alert: " + alert);
        }
    }

    @Test
    void theDashboardIsGrafanaJsonWithAQueryInEveryPanel() throws IOException {
        JsonNode d = new ObjectMapper().readTree(MONITORING.resolve("grafana/statesys-dashboard.json").toFile());
        assertThat(d.get("uid").asText()).isEqualTo("statesys-overview");
        assertThat(d.get("panels").size()).isGreaterThanOrEqualTo(8);
        for (JsonNode panel : d.get("panels")) {
            assertThat(panel.get("targets").size()).as(panel.get("title").asText()).isPositive();
            for (JsonNode t : panel.get("targets")) {
                assertThat(t.get("expr").asText()).isNotBlank();
            }
        }
    }

    @Test
    void rulesAndDashboardNameOnlyMetricsTheServicesRegister() throws IOException {
        Set<String> exported = exported();
        Set<String> used = new TreeSet<>();
        for (Path f : List.of(MONITORING.resolve("statesys-alerts.yaml"), MONITORING.resolve("grafana/statesys-dashboard.json"))) {
            Matcher m = USED.matcher(Files.readString(f));
            while (m.find()) {
                used.add(m.group());
            }
        }
        assertThat(used).isNotEmpty();
        assertThat(exported).as("metrics registered in the services' code").containsAll(used);
    }

    /** What Micrometer's Prometheus registry makes of each registered name. */
    static Set<String> exported() throws IOException {
        Set<String> out = new TreeSet<>();
        Path root = Path.of("..").toAbsolutePath().normalize();
        // the modules' sources only: not the run directory (.statesys, which may hold a whole root file
        // system) nor build output
        try (Stream<Path> files = Files.walk(root, 1).filter(Files::isDirectory).filter(d -> !d.getFileName().toString().startsWith("."))
                .map(d -> d.resolve("src/main")).filter(Files::isDirectory).flatMap(KubernetesMonitoringTest::walk)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                String source = Files.readString(f);
                Matcher m = REGISTERED.matcher(source);
                while (m.find()) {
                    add(out, m.group(1) == null ? "Gauge" : m.group(1), m.group(2) != null ? m.group(2) : m.group(3));
                }
                java.util.Map<String, String> constants = new java.util.HashMap<>();
                Matcher c = CONSTANT.matcher(source);
                while (c.find()) {
                    constants.put(c.group(1), c.group(2));
                }
                Matcher byConstant = REGISTERED_BY_CONSTANT.matcher(source);
                while (byConstant.find()) {
                    String name = constants.get(byConstant.group(2));
                    if (name != null) {
                        add(out, byConstant.group(1), name);
                    }
                }
            }
        }
        return out;
    }

    private static Stream<Path> walk(Path dir) {
        try {
            return Files.walk(dir);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A Timer's buckets are exported only where a filter gives it a histogram; the rules and dashboard may read them. */
    private static void add(Set<String> out, String kind, String registeredName) {
        String name = registeredName.replace('.', '_');
        switch (kind) {
            case "Counter" -> out.add(name.endsWith("_total") ? name : name + "_total");
            case "Timer" -> out.addAll(List.of(name + "_seconds_sum", name + "_seconds_count", name + "_seconds_max", name + "_seconds_bucket"));
            case "DistributionSummary" -> out.addAll(List.of(name + "_sum", name + "_count", name + "_max"));
            default -> out.add(name);
        }
    }
}
