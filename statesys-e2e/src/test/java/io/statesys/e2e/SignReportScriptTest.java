package io.statesys.e2e;

import io.statesys.sim.simulate.EnrolmentTokenRequest;
import io.statesys.testing.Reports;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** scripts/sign-report.sh — the recipe for client authors (openssl + curl) — against a real relay, identity enforced. */
class SignReportScriptTest {
    private static StatesysCluster cluster;
    private static ServiceProcess relay;
    private static ServiceProcess resync;

    @BeforeAll
    static void start() throws Exception {
        cluster = new StatesysCluster(Map.of("STATESYS_IDENTITY_APPROVAL", "token"));
        List<ServiceProcess> s = cluster.start("mp-relay-service", "resync-service");
        relay = s.get(0);
        resync = s.get(1);
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aReportSignedWithOpensslIsAcceptedAndTheKeyRegisteredOnce(@TempDir Path dir) throws Exception {
        Path report = dir.resolve("report.xml");
        Files.write(report, Reports.utf16(Reports.contractExample()));
        String token = EnrolmentTokenRequest.create(URI.create(resync.baseUrl()), StatesysCluster.ADMIN_TOKEN);

        Run first = run(report, dir.resolve("keys"), token);
        assertThat(first.exit()).as(first.output()).isZero();
        assertThat(first.output()).contains("registration:").contains("\"status\":\"approved\"").contains("202");

        Run again = run(report, dir.resolve("keys"), null); // registered already: only the report
        assertThat(again.exit()).as(again.output()).isZero();
        assertThat(again.output()).doesNotContain("registration:");

        long accepted = cluster.count("SELECT count(*) FROM inbox");
        assertThat(accepted).isEqualTo(2);
    }

    private record Run(int exit, String output) {
    }

    private static Run run(Path report, Path keys, String token) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("bash", Path.of("..", "scripts", "sign-report.sh").toString(), report.toString())
                .redirectErrorStream(true);
        pb.environment().put("RELAY", relay.baseUrl());
        pb.environment().put("KEY_DIR", keys.toString());
        if (token != null) {
            pb.environment().put("ENROLMENT_TOKEN", token);
        }
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), out);
    }
}
