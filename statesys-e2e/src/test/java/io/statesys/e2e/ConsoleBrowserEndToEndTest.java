package io.statesys.e2e;

import org.junit.jupiter.api.Order;
import com.fasterxml.jackson.databind.JsonNode;
import io.statesys.core.inbox.InboxPayload;
import io.statesys.core.report.ClientId;
import io.statesys.core.report.Sender;
import io.statesys.core.report.StateMessage;
import io.statesys.sim.client.ClientAgent;
import io.statesys.sim.client.ClientStateStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The operations console as a person uses it (docs/console.md, "Console"): Debian's chromium, headless,
 * driven by Selenium through its chromedriver, against the four services as real processes on a
 * fresh database seeded by real clients. Every view loads and shows what its JSON twin says; sign-in
 * is required; the actions work through the page and are audited; a form without its CSRF token is
 * refused. With {@code -Dstatesys.console.screenshots=<dir>} it also saves a screenshot of each view
 * ({@code ./statesys console screenshots} writes them to docs/console/).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Order(6)
class ConsoleBrowserEndToEndTest {
    private static final String ADMIN = StatesysCluster.ADMIN_TOKEN;
    private static final String VIEWER = "e2e-viewer-token";
    private static final String TOPIC = "21e49ac6-a273-4a61-9794-eb675bc743e5";
    private static StatesysCluster cluster;
    private static ServiceProcess relay;
    private static ServiceProcess fsp;
    private static ServiceProcess processor;
    private static ServiceProcess resync;
    private static WebDriver browser;
    private static final List<ClientAgent> clients = new ArrayList<>();
    private static long deadLetter;
    private static long invalidRecord;
    private static Path screenshots;

    @BeforeAll
    static void start() throws Exception {
        // identity mode "report": the clients sign, and an unsigned malformed body still reaches the parser (and is kept)
        cluster = new StatesysCluster(Map.of("STATESYS_CONSOLE_VIEWER_TOKEN", VIEWER, "STATESYS_CONSOLE_SAMPLE_INTERVAL", "1s",
                "STATESYS_CONSOLE_SILENCE_INTERVAL", "1s", "STATESYS_FSP_FORWARDER_AUTO_START", "false", "STATESYS_IDENTITY_MODE", "report"));
        List<ServiceProcess> s = cluster.start("mp-relay-service", "fallback-status-service", "state-processor-service");
        relay = s.get(0);
        fsp = s.get(1);
        processor = s.get(2);
        resync = cluster.startOn("resync-service", ServiceProcess.freePort(), Map.of(
                "STATESYS_CONSOLE_RELAY_URL", relay.baseUrl(), "STATESYS_CONSOLE_FSP_URL", fsp.baseUrl(),
                "STATESYS_CONSOLE_PROCESSOR_URL", processor.baseUrl()));
        seed();
        String dir = System.getProperty("statesys.console.screenshots");
        screenshots = dir == null || dir.isBlank() ? null : Path.of(dir).toAbsolutePath();
        browser = chromium();
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    static WebDriver chromium() {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(System.getProperty("statesys.chromium", "/usr/bin/chromium"));
        // headless, as root in CI, and no background traffic (the machine has no network beyond loopback)
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                "--window-size=1280,1000");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(System.getProperty("statesys.chromedriver", "/usr/bin/chromedriver")))
                .usingAnyFreePort().build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        // a click that submits a form returns before the next page is there: look for what it shows a while
        driver.manage().timeouts().implicitlyWait(Duration.ofSeconds(10));
        return driver;
    }

    /**
     * Twelve clients with update states (one lost messages), a refused gzip UTF-16 report, a dead letter at the FSP, a report
     * the loader set aside (an invalid record).
     */
    static void seed() throws Exception {
        for (int i = 0; i < 12; i++) {
            UUID id = UUID.randomUUID();
            ClientAgent a = new ClientAgent(id, "WKS-" + (100 + i), ClientStateStore.inMemory(), URI.create(relay.baseUrl()), null,
                    Api.HTTP, Clock.systemUTC());
            assertThat(a.register(null)).isTrue();
            if (i == 0) {
                a.loseInTransit(m -> m.serialNumber() == 3); // its deployment state never arrives: serial 3 is a gap
            }
            a.record(500, TOPIC, 3, i % 3 == 0 ? 3 : 2, List.of("102"));
            a.record(500, "update-" + (i % 2), 3, 2, List.of("102"));
            a.record(402, "deployment-7", 3, 1, List.of());
            if (i == 0) {
                a.record(500, "update-9", 3, 2, List.of("102"));
            }
            assertThat(a.send().delivered()).isTrue();
            a.loseInTransit(null);
            clients.add(a);
        }
        // a report that is not XML, gzip'd UTF-16: refused by the relay and kept
        String broken = "<?xml version=\"1.0\" encoding=\"UTF-16\"?><Report><ReportHeader><Identification><Machine><ClientID>GUID:"
                + clients.get(1).id().toString().toUpperCase() + "</ClientID></Machine></Identification></ReportHeader><ReportBody><Oops></ReportBody>";
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(("\uFEFF" + broken).getBytes(StandardCharsets.UTF_16LE));
        }
        HttpResponse<String> refused = Api.HTTP.send(HttpRequest.newBuilder(relay.url("/api/v1/statemessages"))
                .header("Content-Type", "text/xml").header("Content-Encoding", "gzip")
                .POST(HttpRequest.BodyPublishers.ofByteArray(gz.toByteArray())).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).isEqualTo(400);
        // a dead letter, as the FSP keeps one the relay refused for good
        Instant at = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        byte[] payload = InboxPayload.encode(new Sender("5.00.9128.1000", 1, 1, null, null),
                List.of(new StateMessage(at, 900L, 500, "update-dl", 3, 2, 0, List.of("102"), null)));
        try (var db = cluster.jdbc(); PreparedStatement ps = db.prepareStatement("""
                INSERT INTO fsp_dead_letter (client_id, netbios_name, received_at, message_count, payload, relay_status, relay_answer)
                VALUES (?, 'WKS-DEAD', now(), 1, ?, 403, '{"error":"client_pending"}') RETURNING id""")) {
            ps.setObject(1, clients.get(2).id());
            ps.setBytes(2, payload);
            var rs = ps.executeQuery();
            rs.next();
            deadLetter = rs.getLong(1);
        }
        // an invalid record, as the loader keeps a report whose retries ran out: its next message, loadable
        byte[] setAside = InboxPayload.encode(new Sender("5.00.9128.1000", 1, 1, null, null),
                List.of(clients.get(4).record(500, "update-iv", 3, 2, List.of("102"))));
        try (var db = cluster.jdbc(); PreparedStatement ps = db.prepareStatement("""
                INSERT INTO invalid_record (client_id, netbios_name, received_at, attempts, message_count, reason, payload)
                VALUES (?, 'WKS-104', now(), 4, 1, 'failed 4 times, last: statement timeout', ?) RETURNING id""")) {
            ps.setObject(1, clients.get(4).id());
            ps.setBytes(2, setAside);
            var rs = ps.executeQuery();
            rs.next();
            invalidRecord = rs.getLong(1);
        }
        Api.await("inbox drained", Duration.ofSeconds(60), () -> {
            try {
                return cluster.count("SELECT count(*) FROM inbox") == 0 && cluster.count("SELECT count(*) FROM topic_state") >= 36;
            } catch (Exception e) {
                return false;
            }
        });
        Api.await("a sample after the load", Duration.ofSeconds(30), () -> {
            try {
                return cluster.count("SELECT count(*) FROM console_sample WHERE clients >= 12") > 0
                        && cluster.count("SELECT count(*) FROM console_silence WHERE clients >= 12") > 0;
            } catch (Exception e) {
                return false;
            }
        });
    }

    static JsonNode json(String path) throws Exception {
        HttpResponse<String> r = Api.HTTP.send(HttpRequest.newBuilder(resync.url(path)).header("Authorization", "Bearer " + VIEWER).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
        return Api.json(r.body());
    }

    static void open(String path) {
        browser.get(resync.baseUrl() + path);
    }

    static String text(String id) {
        return browser.findElement(By.id(id)).getText().trim();
    }

    /** Nothing matches on the page as it is now (no implicit wait: absence is the expected answer). */
    static boolean absent(By by) {
        return now(by).isEmpty();
    }

    /** What matches on the page as loaded, without waiting for more. */
    static List<WebElement> now(By by) {
        browser.manage().timeouts().implicitlyWait(Duration.ZERO);
        try {
            return browser.findElements(by);
        } finally {
            browser.manage().timeouts().implicitlyWait(Duration.ofSeconds(10));
        }
    }

    static void shot(String name) throws Exception {
        if (screenshots != null) {
            Files.createDirectories(screenshots);
            ((JavascriptExecutor) browser).executeScript("document.body.style.zoom='100%'");
            long height = (Long) ((JavascriptExecutor) browser).executeScript("return document.body.scrollHeight");
            browser.manage().window().setSize(new org.openqa.selenium.Dimension(1280, (int) Math.min(Math.max(height + 40, 700), 2400)));
            Files.write(screenshots.resolve(name + ".png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
            browser.manage().window().setSize(new org.openqa.selenium.Dimension(1280, 1000));
        }
    }

    static void signIn(String name, String token) {
        open("/console/sign-in");
        browser.findElement(By.id("name")).sendKeys(name);
        browser.findElement(By.id("token")).sendKeys(token);
        browser.findElement(By.id("sign-in-button")).click();
    }

    @Test
    @Order(1)
    void theConsoleAsksForASignInFirstAndRefusesAWrongToken() throws Exception {
        open("/console/overview");
        assertThat(browser.getCurrentUrl()).contains("/console/sign-in");
        shot("sign-in");
        signIn("mallory", "not-the-token");
        assertThat(text("error")).contains("not valid");
        signIn("alice", ADMIN);
        open("/console/overview");
        assertThat(browser.getCurrentUrl()).endsWith("/console/overview");
        assertThat(browser.findElement(By.className("who")).getText()).contains("alice (admin)");
    }

    @Test
    @Order(2)
    void theOverviewShowsWhatItsJsonTwinSays() throws Exception {
        open("/console/overview");
        JsonNode o = json("/api/v1/console/overview");
        assertThat(text("inbox-messages")).isEqualTo(o.at("/backlog/messages").asText());
        assertThat(text("refused-reports")).isEqualTo(o.get("refusedReports").asText()).isNotEqualTo("0");
        assertThat(text("invalid-records")).isEqualTo(o.get("invalidRecords").asText());
        assertThat(text("outstanding-resyncs")).isEqualTo(o.at("/resyncs/outstanding").asText());
        assertThat(text("fsp-dead-letters")).isEqualTo(o.at("/fsp/deadLetters").asText()).isEqualTo("1");
        for (String service : new String[] {"mp-relay-service", "fallback-status-service", "state-processor-service", "resync-service"}) {
            assertThat(browser.findElement(By.cssSelector("td[data-service='" + service + "']")).getText()).isEqualTo("UP");
        }
        assertThat(browser.findElements(By.cssSelector("svg.chart"))).hasSize(3);
        assertThat(text("as-of")).startsWith("as of 20");
        shot("overview");
    }

    @Test
    @Order(3)
    void aTopicsStatesAndTheirClientsAndItsUnknownBreakdownMatchTheApi() throws Exception {
        open("/console/topics?type=500");
        assertThat(browser.findElement(By.id("topics")).getText()).contains(TOPIC);
        shot("topics");
        open("/console/topics/500/" + TOPIC);
        JsonNode t = json("/api/v1/console/topics/500/" + TOPIC);
        assertThat(text("clients-with-state")).isEqualTo(t.get("clientsWithState").asText()).isEqualTo("12");
        for (JsonNode s : t.get("states")) {
            assertThat(browser.findElement(By.cssSelector("a.state-count[data-state='" + s.get("stateId").asText() + "']")).getText())
                    .isEqualTo(s.get("clients").asText());
        }
        browser.findElement(By.cssSelector("a.state-count[data-state='2']")).click();
        assertThat(browser.findElements(By.cssSelector("#clients-in-state tr"))).hasSize(1 + 8);
        shot("topic");
        open("/console/topics/500/update-0/unknown?days=30");
        JsonNode u = json("/api/v1/console/topics/500/update-0/unknown?days=30");
        assertThat(text("unknown")).isEqualTo(u.at("/counts/unknown").asText()).isEqualTo("6");
        assertThat(text("other-topics-only")).isEqualTo(u.at("/counts/otherTopicsOnly").asText()).isEqualTo("6");
        assertThat(text("never-reported")).isEqualTo(u.at("/counts/neverReported").asText());
        shot("unknown");
    }

    @Test
    @Order(4)
    void theClientPageExplainsAClientWithAGapAndAForcedResyncFromItIsIssuedAndAudited() throws Exception {
        ClientAgent gapped = clients.get(0);
        String id = ClientId.format(gapped.id());
        open("/console/clients?q=WKS-100");
        browser.findElement(By.linkText(id)).click();
        JsonNode c = json("/api/v1/console/clients/" + id);
        assertThat(text("state-count")).isEqualTo(Integer.toString(c.get("states").size())).isEqualTo("3");
        assertThat(browser.findElement(By.cssSelector("#stats .stat-missing")).getText()).isEqualTo(c.at("/sites/0/missingMessages").asText()).isEqualTo("1");
        assertThat(text("diagnosis")).contains("missing serial range");
        assertThat(text("identity-status")).isEqualTo("approved");
        shot("client");
        browser.findElement(By.id("force-resync")).click();
        assertThat(text("flash")).contains("Resync request").contains(id);
        assertThat(json("/api/v1/console/clients/" + id).at("/resyncs/0/completedAt").isNull()).isTrue();
        open("/console/audit");
        WebElement audit = browser.findElement(By.id("audit"));
        assertThat(audit.getText()).contains("force-resync").contains(id).contains("alice");
        assertThat(json("/api/v1/console/audit?action=force-resync").at("/entries/0/target").asText()).isEqualTo(id);
        shot("audit");
    }

    @Test
    @Order(5)
    void gapsAndResyncsAndABulkResyncWithItsConfirmation() throws Exception {
        open("/console/resyncs");
        JsonNode r = json("/api/v1/console/resyncs");
        assertThat(text("outstanding")).isEqualTo(r.at("/counts/outstanding").asText()).isEqualTo("1");
        assertThat(text("gapped-clients")).isEqualTo(r.at("/counts/gappedClients").asText());
        browser.findElement(By.id("bulk-state")).sendKeys("3");
        browser.findElement(By.id("bulk-type")).sendKeys("500");
        browser.findElement(By.id("bulk-topic")).sendKeys(TOPIC);
        browser.findElement(By.id("bulk-state-button")).click();
        assertThat(text("confirm-count")).isEqualTo("4");
        shot("resync-confirm");
        browser.findElement(By.id("confirm-button")).click();
        assertThat(text("flash")).contains("Resync forced for 4");
        assertThat(json("/api/v1/console/resyncs").at("/counts/outstanding").asInt()).isEqualTo(4); // the gapped client is one of them
        assertThat(json("/api/v1/console/audit?action=force-resync-bulk").at("/entries/0/affected").asInt()).isEqualTo(4);
        shot("resyncs");
    }

    @Test
    @Order(6)
    void aRefusedReportIsShownDecodedWhateverItsEncoding() throws Exception {
        open("/console/refused");
        JsonNode r = json("/api/v1/console/refused");
        long id = r.at("/refused/0/id").asLong();
        shot("refused");
        open("/console/refused/" + id);
        assertThat(text("charset")).isEqualTo("gzip, UTF-16LE");
        assertThat(text("body")).contains("<ClientID>GUID:" + clients.get(1).id().toString().toUpperCase() + "</ClientID>")
                .contains("\n  <ReportHeader>");
        assertThat(text("body")).isEqualTo(json("/api/v1/console/refused/" + id).get("text").asText().trim());
        shot("refused-body");
    }

    @Test
    @Order(7)
    void aDeadLetterIsInspectedAndRequeuedThroughTheFspAndAudited() throws Exception {
        open("/console/fsp");
        assertThat(text("dead-letter-count")).isEqualTo(Integer.toString(json("/api/v1/console/fsp").get("deadLetters").size())).isEqualTo("1");
        shot("fsp");
        open("/console/fsp/dead-letters/" + deadLetter);
        assertThat(browser.findElement(By.id("messages")).getText()).contains("update-dl");
        browser.findElement(By.id("requeue")).click();
        assertThat(text("flash")).contains("re-queued: 1 message");
        assertThat(text("dead-letter-count")).isEqualTo("0");
        assertThat(cluster.count("SELECT count(*) FROM fsp_queue WHERE serial_number = 900")).isEqualTo(1);
        assertThat(json("/api/v1/console/audit?action=requeue-dead-letter").at("/entries/0/target").asText()).isEqualTo("dead letter " + deadLetter);
    }

    @Test
    @Order(7)
    void anInvalidRecordIsRequeuedThroughTheProcessorLoadedAndAudited() throws Exception {
        open("/console/refused");
        browser.findElement(By.id("requeue-invalid-" + invalidRecord)).click();
        assertThat(text("flash")).contains("Invalid record " + invalidRecord + " re-queued: 1 message");
        Api.await("the re-queued report loaded", Duration.ofSeconds(30), () -> {
            try {
                return cluster.count("SELECT count(*) FROM topic_state WHERE topic_id = 'update-iv'") == 1;
            } catch (Exception e) {
                return false;
            }
        });
        assertThat(cluster.count("SELECT count(*) FROM invalid_record WHERE id = " + invalidRecord)).isZero();
        assertThat(json("/api/v1/console/audit?action=requeue-invalid-record").at("/entries/0/target").asText())
                .isEqualTo("invalid record " + invalidRecord);
    }

    @Test
    @Order(8)
    void blockAndUnblockFromTheClientPageAndTheIdentityView() throws Exception {
        String id = ClientId.format(clients.get(3).id());
        open("/console/clients/" + id);
        browser.findElement(By.id("block")).click();
        assertThat(text("flash")).contains("blocked");
        assertThat(text("identity-status")).isEqualTo("blocked");
        open("/console/identity");
        JsonNode i = json("/api/v1/console/identity");
        assertThat(text("blocked")).isEqualTo(i.get("blocked").asText()).isEqualTo("1");
        assertThat(text("registered")).isEqualTo(i.get("registered").asText()).isEqualTo("12");
        shot("identity");
        browser.findElement(By.cssSelector("button.unblock[data-client='" + id + "']")).click();
        assertThat(text("flash")).contains("approved");
        assertThat(json("/api/v1/console/identity").get("blocked").asInt()).isZero();
        assertThat(json("/api/v1/console/audit").toString()).contains("block-client").contains("unblock-client");
    }

    @Test
    @Order(9)
    void floodsActivityAndSitesMatchTheirJson() throws Exception {
        open("/console/activity");
        JsonNode a = json("/api/v1/console/activity");
        assertThat(text("clients")).isEqualTo(a.get("clients").asText());
        assertThat(text("active-24h")).isEqualTo(a.get("active24h").asText());
        shot("activity");
        open("/console/floods");
        JsonNode f = json("/api/v1/console/floods");
        assertThat(now(By.cssSelector("#floods td.flood-rate"))).hasSize(f.get("floods").size());
        shot("floods");
        open("/console/sites");
        JsonNode s = json("/api/v1/console/sites");
        assertThat(s.get("answered").asBoolean()).isTrue();
        assertThat(browser.findElement(By.id("sites")).getText()).contains(s.at("/sites/0/siteCode").asText());
        shot("sites");
    }

    @Test
    @Order(10)
    void aFormWithoutItsCsrfTokenIsRefusedAndChangesNothing() throws Exception {
        String id = ClientId.format(clients.get(5).id());
        open("/console/clients/" + id);
        ((JavascriptExecutor) browser).executeScript(
                "document.querySelectorAll('input[name=csrf]').forEach(function (e) { e.remove(); });");
        browser.findElement(By.id("block")).click();
        // the refusal's own paragraph: the client page has a table with the same id until the answer replaces it
        assertThat(browser.findElement(By.cssSelector("p#refused")).getText()).contains("CSRF");
        assertThat(json("/api/v1/console/clients/" + id).at("/identity/status").asText()).isEqualTo("approved");
    }

    @Test
    @Order(11)
    void aViewerSeesEveryViewButNoActionAndSignOutEndsTheSession() throws Exception {
        open("/console/overview");
        browser.findElement(By.id("sign-out")).click();
        open("/console/resyncs");
        assertThat(browser.getCurrentUrl()).contains("/console/sign-in");
        signIn("vera", VIEWER);
        open("/console/resyncs");
        assertThat(absent(By.id("force-one"))).isTrue();
        open("/console/clients/" + ClientId.format(clients.get(0).id()));
        assertThat(absent(By.id("force-resync"))).isTrue();
        assertThat(browser.findElement(By.className("who")).getText()).contains("vera (viewer)");
    }
}
