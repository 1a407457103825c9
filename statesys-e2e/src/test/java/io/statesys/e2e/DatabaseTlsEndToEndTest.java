package io.statesys.e2e;

import org.junit.jupiter.api.Order;
import io.statesys.testing.Reports;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The services talk to a database that takes TLS connections only (scripts/db-tls.sh: its own CA, a
 * server certificate for 127.0.0.1, {@code hostnossl … reject}) with {@code statesys.db.ssl-mode=verify-full}:
 * the pool, schema migration and the processor's LISTEN all connect, encrypted; a service pointed at
 * it with another CA, or without TLS, never becomes ready.
 */
@Order(2)
class DatabaseTlsEndToEndTest {
    private static final int PORT = 5445;
    private static Path ca;
    private static String database;
    private final List<ServiceProcess> started = new ArrayList<>();

    @BeforeAll
    static void tlsCluster() throws Exception {
        Process p = new ProcessBuilder("bash", ServiceProcess.root().resolve("scripts/db-tls.sh").toString(), "up")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(5, TimeUnit.MINUTES) && p.exitValue() == 0).as("scripts/db-tls.sh up:\n" + out).isTrue();
        ca = ServiceProcess.root().resolve(".statesys/db-tls/ca.crt");
        database = "statesys_e2e_tls_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        sql("postgres", "CREATE DATABASE " + database);
    }

    @AfterAll
    static void dropDatabase() throws Exception {
        if (database != null) {
            sql("postgres", "DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        }
    }

    @AfterEach
    void stop() {
        started.forEach(ServiceProcess::close);
    }

    @Test
    void withVerifyFullEveryConnectionIsEncryptedAndAReportIsLoadedThroughThem() throws Exception {
        Map<String, String> env = env("verify-full", ca.toString());
        ServiceProcess relay = start("mp-relay-service", env);
        ServiceProcess processor = start("state-processor-service", env);
        relay.awaitReady(Duration.ofSeconds(90));
        processor.awaitReady(Duration.ofSeconds(90));

        UUID client = UUID.randomUUID();
        byte[] report = Reports.forClient(client).detection(1, Reports.updateId(1), 2, Instant.now()).utf16();
        int status = Api.HTTP.send(HttpRequest.newBuilder(relay.url("/api/v1/statemessages")).header("Content-Type", "text/xml")
                .POST(HttpRequest.BodyPublishers.ofByteArray(report)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        assertThat(status).isEqualTo(202);
        Api.await("the report loaded", Duration.ofSeconds(30), () -> count("SELECT count(*) FROM topic_state WHERE client_id = '" + client + "'") == 1);

        assertThat(count("SELECT count(*) FROM pg_stat_activity a JOIN pg_stat_ssl s USING (pid) WHERE a.datname = current_database() "
                + "AND a.pid <> pg_backend_pid() AND s.ssl")).as("the services' connections, encrypted").isGreaterThanOrEqualTo(2);
        assertThat(count("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND query ILIKE 'LISTEN%'"))
                .as("the processor's LISTEN connection").isOne();
    }

    @Test
    void aServerCertificateFromAnotherAuthorityIsRefusedAndTheServiceNeverBecomesReady() throws Exception {
        // Debian's public authorities: none of them signed the test server's certificate
        ServiceProcess relay = start("mp-relay-service", env("verify-full", "/etc/ssl/certs/ca-certificates.crt"));
        assertNotReadyFor(relay, Duration.ofSeconds(15));
        assertThat(relay.tail()).containsIgnoringCase("certificat");
    }

    @Test
    void withoutTlsTheServerRefusesTheServiceAndVerifyFullWithoutACertificateStopsTheStart() throws Exception {
        ServiceProcess plain = start("mp-relay-service", env("disable", null));
        assertNotReadyFor(plain, Duration.ofSeconds(15));
        assertThat(plain.tail()).contains("no encryption");

        ServiceProcess noCa = start("mp-relay-service", env("verify-full", null));
        Api.await("the start stopped", Duration.ofSeconds(60), () -> !noCa.alive());
        assertThat(noCa.tail()).contains("statesys.db.ssl-mode=verify-full needs statesys.db.ssl-root-cert");
    }

    private ServiceProcess start(String module, Map<String, String> env) throws Exception {
        ServiceProcess s = ServiceProcess.start(module, env);
        started.add(s);
        return s;
    }

    private static void assertNotReadyFor(ServiceProcess s, Duration d) throws Exception {
        try {
            s.awaitReady(d);
        } catch (IllegalStateException expected) {
            return;
        }
        throw new AssertionError(s.module() + " became ready:\n" + s.tail());
    }

    private static Map<String, String> env(String sslMode, String rootCert) {
        Map<String, String> env = new HashMap<>();
        env.put("STATESYS_DB_HOST", "127.0.0.1");
        env.put("STATESYS_DB_PORT", Integer.toString(PORT));
        env.put("STATESYS_DB_NAME", database);
        env.put("STATESYS_DB_USER", "postgres");
        env.put("STATESYS_DB_PASSWORD", "postgres");
        env.put("STATESYS_DB_SSL_MODE", sslMode);
        env.put("STATESYS_DB_STARTUP_WAIT", "1m");
        env.put("STATESYS_IDENTITY_MODE", "off");
        if (rootCert != null) {
            env.put("STATESYS_DB_SSL_ROOT_CERT", rootCert);
        }
        return env;
    }

    private static Connection connect(String db) throws Exception {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + PORT + "/" + db + "?sslmode=verify-full&sslrootcert=" + ca,
                "postgres", "postgres");
    }

    private static void sql(String db, String sql) throws Exception {
        try (Connection c = connect(db); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static long count(String sql) {
        try (Connection c = connect(database); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
