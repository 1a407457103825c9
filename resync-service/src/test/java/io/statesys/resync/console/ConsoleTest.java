package io.statesys.resync.console;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.statesys.core.report.ClientId;
import io.statesys.console.samples.Sampler;
import io.statesys.service.identity.ClientIdentities;
import io.statesys.service.identity.ClientIdentity;
import io.statesys.service.identity.ClientKey;
import io.statesys.testing.SigningClient;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;

/** The console over HTTP (docs/console.md, "Console"): sign-in, sessions, CSRF, the JSON twins against the database, actions and their audit. */
@QuarkusTest
class ConsoleTest {
    static final String ADMIN_TOKEN = "test-admin-token";
    static final String VIEWER_TOKEN = "test-viewer-token";
    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");

    @Inject
    Pool pool;
    @Inject
    Sampler sampler;
    @Inject
    ClientIdentities identities;

    static String signIn(String name, String token) {
        Response r = given().redirects().follow(false).contentType("application/x-www-form-urlencoded")
                .formParam("name", name).formParam("token", token).formParam("next", "/console/resyncs")
                .post("/console/sign-in");
        assertThat(r.statusCode()).isEqualTo(303);
        assertThat(r.header("Location")).endsWith("/console/resyncs");
        String setCookie = r.header("Set-Cookie");
        assertThat(setCookie).contains("HttpOnly").containsIgnoringCase("SameSite=Strict").contains("Path=/");
        return r.getCookie("statesys_console");
    }

    static String csrf(String cookie, String page) {
        String html = given().cookie("statesys_console", cookie).get(page).then().statusCode(200).extract().asString();
        Matcher m = CSRF.matcher(html);
        assertThat(m.find()).as("a form with a CSRF token on " + page).isTrue();
        return m.group(1);
    }

    void sql(String statement, Object... params) {
        pool.preparedQuery(statement).execute(Tuple.from(params)).await().indefinitely();
    }

    long count(String query, Object... params) {
        return pool.preparedQuery(query).execute(Tuple.from(params)).await().indefinitely().iterator().next().getLong(0);
    }

    @Test
    void everyPageNeedsASignInAndEveryJsonTwinABearerToken() {
        for (String page : new String[] {"/console/overview", "/console/topics", "/console/clients", "/console/resyncs", "/console/refused",
                "/console/fsp", "/console/floods", "/console/activity", "/console/identity", "/console/sites", "/console/audit"}) {
            given().redirects().follow(false).get(page).then().statusCode(303)
                    .header("Location", containsString("/console/sign-in?next="));
        }
        given().get("/api/v1/console/overview").then().statusCode(401).body("error", equalTo("unauthorized"));
        given().header("Authorization", "Bearer wrong").get("/api/v1/console/overview").then().statusCode(401);
        given().header("Authorization", "Bearer " + VIEWER_TOKEN).get("/api/v1/console/overview").then().statusCode(200);
        given().cookie("statesys_console", "ADMIN.9999999999.AAAA.YQ.forged").redirects().follow(false).get("/console/audit")
                .then().statusCode(303);
    }

    @Test
    void aWrongTokenIsRefusedAndNextNeverLeavesTheConsole() {
        given().contentType("application/x-www-form-urlencoded").formParam("name", "x").formParam("token", "nope")
                .post("/console/sign-in").then().statusCode(401).body(containsString("not valid"));
        Response r = given().redirects().follow(false).contentType("application/x-www-form-urlencoded").formParam("name", "x")
                .formParam("token", ADMIN_TOKEN).formParam("next", "//evil.example/console").post("/console/sign-in");
        assertThat(r.header("Location")).endsWith("/console/overview");
    }

    @Test
    void consolePagesForbidFramingSniffingCachingAndScriptAndRedirectRelativelyWhateverTheHost() {
        String admin = signIn("alice", ADMIN_TOKEN);
        given().cookie("statesys_console", admin).get("/console/overview").then().statusCode(200)
                .header("X-Frame-Options", "DENY").header("X-Content-Type-Options", "nosniff")
                .header("Cache-Control", "no-store").header("Content-Security-Policy", containsString("frame-ancestors 'none'"))
                .header("Content-Security-Policy", org.hamcrest.Matchers.not(containsString("script-src")));
        given().header("Host", "evil.example").redirects().follow(false).get("/console/audit").then().statusCode(303)
                .header("Location", org.hamcrest.Matchers.startsWith("/console/sign-in?next="));
        Response r = given().header("Host", "evil.example").redirects().follow(false).contentType("application/x-www-form-urlencoded")
                .formParam("name", "x").formParam("token", ADMIN_TOKEN).formParam("next", "/console/resyncs").post("/console/sign-in");
        assertThat(r.header("Location")).isEqualTo("/console/resyncs");
    }

    @Test
    void signingOutEndsTheSessionForTheServerNotOnlyInTheBrowser() {
        String cookie = signIn("dave", ADMIN_TOKEN);
        String csrf = csrf(cookie, "/console/resyncs");
        given().cookie("statesys_console", cookie).redirects().follow(false).contentType("application/x-www-form-urlencoded")
                .formParam("csrf", csrf).post("/console/sign-out").then().statusCode(303)
                .header("Location", "/console/sign-in");
        // the same cookie, kept by whoever copied it, opens nothing any more
        given().cookie("statesys_console", cookie).redirects().follow(false).get("/console/audit").then().statusCode(303)
                .header("Location", org.hamcrest.Matchers.startsWith("/console/sign-in"));
        given().cookie("statesys_console", cookie).get("/api/v1/console/overview").then().statusCode(401);
        assertThat(count("SELECT count(*) FROM console_session_revoked WHERE expires_at > now()")).isPositive();
        assertThat(count("SELECT count(*) FROM console_audit WHERE action = 'sign-out' AND actor = 'dave'")).isOne();
    }

    @Test
    void aSessionCookieCannotBeMadeFromTheTokensAlone() throws Exception {
        // the key the cookie was signed with before: SHA-256 of the tokens
        byte[] oldKey = java.security.MessageDigest.getInstance("SHA-256").digest(("statesys-console-session\n" + ADMIN_TOKEN + "\n"
                + VIEWER_TOKEN).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        String body = "ADMIN." + (System.currentTimeMillis() / 1000 + 3600) + ".AAAAAAAAAAAAAAAAAAAAAA."
                + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString("mallory".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(oldKey, "HmacSHA256"));
        String forged = body + "." + java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString(mac.doFinal(("session\n" + body).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        given().cookie("statesys_console", forged).redirects().follow(false).get("/console/audit").then().statusCode(303);
    }

    @Test
    void aControlCharacterInNextIs400NeverA500() {
        for (String next : new String[] {"/console/x\r\nSet-Cookie: a=b", "/console/\tx", "/console/\nforged log line"}) {
            given().redirects().follow(false).contentType("application/x-www-form-urlencoded").formParam("name", "x")
                    .formParam("token", ADMIN_TOKEN).formParam("next", next).post("/console/sign-in").then().statusCode(400);
            given().queryParam("next", next).get("/console/sign-in").then().statusCode(400);
        }
    }

    @Test
    void failedSignInsAreAuditedAndPastTheirQuotaRefusedBeforeAnyTokenIsCompared() throws Exception {
        // from an address of its own (127.0.0.2), so the other tests' sign-ins keep theirs
        long before = count("SELECT count(*) FROM console_audit WHERE action = 'sign-in-failed'");
        int status = 0;
        int attempts = 0;
        while (status != 429 && attempts < 40) {
            status = signInFrom("127.0.0.2", "guess" + attempts);
            attempts++;
        }
        assertThat(status).isEqualTo(429);
        assertThat(attempts).isLessThanOrEqualTo(22); // ten a minute, perhaps across a minute's turn
        // even the right token waits out the minute from that address; another address signs in
        assertThat(signInFrom("127.0.0.2", ADMIN_TOKEN)).isEqualTo(429);
        assertThat(signInFrom("127.0.0.3", ADMIN_TOKEN)).isEqualTo(303);
        assertThat(count("SELECT count(*) FROM console_audit WHERE action = 'sign-in-failed' AND detail = 'from 127.0.0.2'") - before)
                .isGreaterThanOrEqualTo(10);
    }

    @io.quarkus.test.common.http.TestHTTPResource("/")
    java.net.URI base;

    /** A sign-in posted from {@code local} (any 127/8 address reaches the loopback listener); its status. */
    private int signInFrom(String local, String token) throws java.io.IOException {
        String form = "name=mallory&token=" + java.net.URLEncoder.encode(token, java.nio.charset.StandardCharsets.UTF_8);
        try (java.net.Socket s = new java.net.Socket(java.net.InetAddress.getByName("127.0.0.1"), base.getPort(),
                java.net.InetAddress.getByName(local), 0)) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(("POST /console/sign-in HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
                    + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " + form.length() + "\r\n\r\n" + form)
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            String status = new java.io.BufferedReader(new java.io.InputStreamReader(s.getInputStream(),
                    java.nio.charset.StandardCharsets.US_ASCII)).readLine();
            return Integer.parseInt(status.split(" ")[1]);
        }
    }

    @Test
    void aViewerReadsButCannotActAndAFormWithoutItsCsrfTokenIsRefused() {
        UUID client = UUID.randomUUID();
        String viewer = signIn("vera", VIEWER_TOKEN);
        String viewerCsrf = csrf(viewer, "/console/resyncs");
        given().cookie("statesys_console", viewer).contentType("application/x-www-form-urlencoded").formParam("csrf", viewerCsrf)
                .formParam("clientId", ClientId.format(client)).post("/console/actions/resync")
                .then().statusCode(403).body(containsString("viewer"));

        String admin = signIn("alice", ADMIN_TOKEN);
        given().cookie("statesys_console", admin).contentType("application/x-www-form-urlencoded")
                .formParam("clientId", ClientId.format(client)).post("/console/actions/resync")
                .then().statusCode(403).body(containsString("CSRF"));
        // another session's token is not this one's
        given().cookie("statesys_console", admin).contentType("application/x-www-form-urlencoded").formParam("csrf", viewerCsrf)
                .formParam("clientId", ClientId.format(client)).post("/console/actions/resync")
                .then().statusCode(403);
        assertThat(count("SELECT count(*) FROM resync_request WHERE client_id = $1", client)).isZero();
    }

    @Test
    void anInvalidRecordIsReQueuedOnlyByAnAdminThroughTheProcessorAndAFailureIsShownNotHidden() {
        long id = pool.preparedQuery("INSERT INTO invalid_record (client_id, reason, message_count, payload) "
                        + "VALUES ($1, 'failed 4 times, last: statement timeout', 1, '\\x00'::bytea) RETURNING id")
                .execute(Tuple.of(UUID.randomUUID())).await().indefinitely().iterator().next().getLong(0);
        String viewer = signIn("vera", VIEWER_TOKEN);
        given().cookie("statesys_console", viewer).get("/console/refused").then().statusCode(200)
                .body(containsString("statement timeout")).body(not(containsString("id=\"requeue-invalid-" + id + "\"")));
        given().cookie("statesys_console", viewer).contentType("application/x-www-form-urlencoded")
                .formParam("csrf", csrf(viewer, "/console/refused")).post("/console/actions/invalid-records/{id}/requeue", id)
                .then().statusCode(403).body(containsString("viewer"));

        String admin = signIn("alice", ADMIN_TOKEN);
        given().cookie("statesys_console", admin).get("/console/refused").then().statusCode(200)
                .body(containsString("id=\"requeue-invalid-" + id + "\""));
        given().cookie("statesys_console", admin).contentType("application/x-www-form-urlencoded")
                .post("/console/actions/invalid-records/{id}/requeue", id).then().statusCode(403).body(containsString("CSRF"));
        // no processor answers in this test: the operator is told so, nothing moves and nothing is audited
        given().cookie("statesys_console", admin).redirects().follow(false).contentType("application/x-www-form-urlencoded")
                .formParam("csrf", csrf(admin, "/console/refused")).post("/console/actions/invalid-records/{id}/requeue", id)
                .then().statusCode(303).header("Location", containsString("/console/refused?done="))
                .header("Location", containsString("not+re-queued"));
        assertThat(count("SELECT count(*) FROM invalid_record WHERE id = $1", id)).isEqualTo(1);
        given().header("Authorization", "Bearer " + ADMIN_TOKEN).get("/api/v1/console/audit?action=requeue-invalid-record")
                .then().statusCode(200).body("entries", hasSize(0));
    }

    @Test
    void aForcedResyncFromThePageIsIssuedAndAudited() {
        UUID client = UUID.randomUUID();
        sql("INSERT INTO client_message_stats (client_id, netbios_name, lowest_serial, highest_serial, messages) VALUES ($1, 'WKS-R', 1, 10, 10)", client);
        String admin = signIn("alice", ADMIN_TOKEN);
        given().cookie("statesys_console", admin).redirects().follow(false).contentType("application/x-www-form-urlencoded")
                .formParam("csrf", csrf(admin, "/console/resyncs")).formParam("clientId", ClientId.format(client)).formParam("back", "clients")
                .post("/console/actions/resync").then().statusCode(303).header("Location", containsString("/console/clients/"));
        assertThat(count("SELECT count(*) FROM resync_request WHERE client_id = $1 AND completed_at IS NULL", client)).isEqualTo(1);
        given().header("Authorization", "Bearer " + ADMIN_TOKEN).get("/api/v1/console/audit?action=force-resync").then().statusCode(200)
                .body("entries[0].actor", equalTo("alice")).body("entries[0].target", equalTo(ClientId.format(client)))
                .body("entries[0].affected", equalTo(1));
        given().header("Authorization", "Bearer " + ADMIN_TOKEN).get("/api/v1/console/clients/{id}", ClientId.format(client)).then()
                .body("resyncs[0].completedAt", equalTo(null)).body("sites[0].netbiosName", equalTo("WKS-R"));
    }

    @Test
    void aBulkResyncSaysHowManyFirstAndForcesThoseOnConfirmation() {
        String topic = "bulk-" + UUID.randomUUID();
        for (int i = 0; i < 7; i++) {
            UUID c = UUID.randomUUID();
            sql("INSERT INTO topic_state (client_id, topic_type, topic_id, topic_key, id_type, state_id, message_time, serial_number) VALUES ($1, 500, $2, topic_key(500, $2), 3, 2, now(), 1)", c, topic);
        }
        sql("INSERT INTO topic_state (client_id, topic_type, topic_id, topic_key, id_type, state_id, message_time, serial_number) VALUES ($1, 500, $2, topic_key(500, $2), 3, 3, now(), 1)", UUID.randomUUID(), topic);
        String admin = signIn("bob", ADMIN_TOKEN);
        String csrf = csrf(admin, "/console/resyncs");
        given().cookie("statesys_console", admin).contentType("application/x-www-form-urlencoded").formParam("csrf", csrf)
                .formParam("kind", "state").formParam("topicType", "500").formParam("topicId", topic).formParam("stateId", "2")
                .post("/console/actions/resync-bulk").then().statusCode(200).body(containsString("id=\"confirm-count\">7<"));
        assertThat(count("SELECT count(*) FROM resync_request r JOIN topic_state t USING (client_id) WHERE t.topic_id = $1", topic)).isZero();
        given().cookie("statesys_console", admin).redirects().follow(false).contentType("application/x-www-form-urlencoded").formParam("csrf", csrf)
                .formParam("kind", "state").formParam("topicType", "500").formParam("topicId", topic).formParam("stateId", "2").formParam("confirm", "7")
                .post("/console/actions/resync-bulk").then().statusCode(303);
        assertThat(count("SELECT count(*) FROM resync_request r JOIN topic_state t USING (client_id) WHERE t.topic_id = $1 AND r.completed_at IS NULL", topic))
                .isEqualTo(7);
        assertThat(count("SELECT affected FROM console_audit WHERE action = 'force-resync-bulk' AND target LIKE '%' || $1 ORDER BY id DESC LIMIT 1", topic))
                .isEqualTo(7);
    }

    @Test
    void topicCountsAndTheUnknownBreakdownAddUp() {
        String topic = "unknown-" + UUID.randomUUID();
        // 3 recent clients with the topic, 2 recent without it, 1 silent for 40 days without it
        for (int i = 0; i < 6; i++) {
            UUID c = UUID.randomUUID();
            sql("INSERT INTO client_message_stats (client_id, lowest_serial, highest_serial, messages, last_seen) VALUES ($1, 1, 1, 1, now() - make_interval(days => $2))",
                    c, i == 5 ? 40 : 0);
            if (i < 3) {
                sql("INSERT INTO topic_state (client_id, topic_type, topic_id, topic_key, id_type, state_id, message_time, serial_number) VALUES ($1, 500, $2, topic_key(500, $2), 3, $3, now(), 1)",
                        c, topic, i == 0 ? 3 : 2);
            }
        }
        long clients = count("SELECT count(*) FROM client_message_stats");
        long stale = count("SELECT count(*) FROM client_message_stats WHERE last_seen < now() - interval '30 days'");
        sampler.takeNow().await().indefinitely();
        long never = count("SELECT never_reported FROM console_sample ORDER BY sampled_at DESC LIMIT 1");
        given().header("Authorization", "Bearer " + VIEWER_TOKEN).get("/api/v1/console/topics/500/{id}", topic).then().statusCode(200)
                .body("clientsWithState", equalTo(3)).body("states.find { it.stateId == 2 }.clients", equalTo(2));
        given().header("Authorization", "Bearer " + VIEWER_TOKEN).get("/api/v1/console/topics/500/{id}?state=2&sort=newest", topic).then()
                .body("clients.size()", equalTo(2));
        given().header("Authorization", "Bearer " + VIEWER_TOKEN).get("/api/v1/console/topics/500/{id}/unknown?days=30", topic).then().statusCode(200)
                .body("counts.withState", equalTo(3))
                .body("counts.notSeenForDays", equalTo((int) stale))
                .body("counts.otherTopicsOnly", equalTo((int) (clients - 3 - stale)))
                .body("counts.neverReported", equalTo((int) never))
                .body("counts.unknown", equalTo((int) (clients - 3 + never)));
        given().header("Authorization", "Bearer " + VIEWER_TOKEN).get("/api/v1/console/topics?type=500").then().statusCode(200)
                .body("topics.topicId", hasItem(topic));
    }

    @Test
    void theSilenceSnapshotCountsTheClientsSilentForAnyNumberOfDaysAsTheStatisticsDo() {
        for (int daysAgo : new int[] {0, 1, 29, 30, 31, 31, 40, 400, 5000}) {
            sql("INSERT INTO client_message_stats (client_id, lowest_serial, highest_serial, messages, last_seen) "
                    + "VALUES ($1, 1, 1, 1, now() - make_interval(days => $2, mins => 5))", UUID.randomUUID(), daysAgo);
        }
        sampler.takeNow().await().indefinitely();
        assertThat(count("SELECT clients FROM console_silence")).isEqualTo(count("SELECT count(*) FROM client_message_stats"));
        for (int days : new int[] {1, 2, 29, 30, 31, 32, 40, 41, 400, 3650}) {
            long silent = count("SELECT count(*) FROM client_message_stats WHERE last_seen < (SELECT taken_at FROM console_silence) "
                    + "- make_interval(days => $1)", days);
            assertThat(silentInSnapshot(days)).as("silent for %d days", days).isEqualTo(silent);
        }
        given().header("Authorization", "Bearer " + VIEWER_TOKEN).get("/api/v1/console/topics/500/silent-{id}/unknown?days=31", UUID.randomUUID())
                .then().statusCode(200)
                .body("counts.clientsAsOf", equalTo(pool.query("SELECT taken_at FROM console_silence").execute().await().indefinitely()
                        .iterator().next().getOffsetDateTime(0).toInstant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString()))
                .body("counts.notSeenForDays", equalTo((int) silentInSnapshot(31)))
                .body("counts.withState", equalTo(0));
    }

    long silentInSnapshot(int days) {
        return count("SELECT coalesce(sum(value::bigint), 0)::bigint FROM console_silence, jsonb_each_text(seen_days) WHERE key::int >= $1", days);
    }

    @Test
    void aTopicsSilentClientsAreCountedByDaysAndFollowAClientSeenAgainOrRetiredAtTheNextSnapshot() {
        String topic = "silence-" + UUID.randomUUID();
        UUID back = UUID.randomUUID();
        UUID retired = UUID.randomUUID();
        UUID older = UUID.randomUUID();
        UUID recent = UUID.randomUUID();
        for (UUID c : new UUID[] {back, retired, older, recent}) {
            sql("INSERT INTO client_message_stats (client_id, lowest_serial, highest_serial, messages, last_seen) VALUES ($1, 1, 1, 1, now() - make_interval(hours => $2))",
                    c, c == recent ? 2 : 45 * 24 + 1);
            sql("INSERT INTO topic_state (client_id, topic_type, topic_id, topic_key, id_type, state_id, message_time, serial_number) "
                    + "VALUES ($1, 500, $2, topic_key(500, $2), 3, 2, now() - interval '45 days', 1)", c, topic);
        }
        sampler.takeNow().await().indefinitely();
        assertThat(count("SELECT clients FROM console_topic_silence WHERE topic_id = $1 AND days = 45", topic)).isEqualTo(3);
        assertThat(count("SELECT count(*) FROM console_topic_silence WHERE topic_id = $1", topic)).isEqualTo(1);
        given().header("Authorization", "Bearer " + VIEWER_TOKEN).get("/api/v1/console/topics/500/{id}/unknown?days=30", topic).then().statusCode(200)
                .body("counts.withState", equalTo(4))
                .body("counts.notSeenForDays", equalTo((int) (silentInSnapshot(30) - 3)));
        given().header("Authorization", "Bearer " + VIEWER_TOKEN).get("/api/v1/console/topics/500/{id}/unknown?days=46", topic).then().statusCode(200)
                .body("counts.notSeenForDays", equalTo((int) silentInSnapshot(46)));
        // one reports again (the loader moves last_seen), one is retired (its statistics and states go), one falls a day further back
        sql("UPDATE client_message_stats SET last_seen = now() WHERE client_id = $1", back);
        sql("DELETE FROM topic_state WHERE client_id = $1", retired);
        sql("DELETE FROM client_message_stats WHERE client_id = $1", retired);
        sql("UPDATE client_message_stats SET last_seen = last_seen - interval '1 day' WHERE client_id = $1", older);
        sampler.takeNow().await().indefinitely();
        assertThat(count("SELECT coalesce(sum(clients), 0)::bigint FROM console_topic_silence WHERE topic_id = $1", topic)).isEqualTo(1);
        assertThat(count("SELECT clients FROM console_topic_silence WHERE topic_id = $1 AND days = 46", topic)).isEqualTo(1);
        long clients = count("SELECT clients FROM console_silence");
        given().header("Authorization", "Bearer " + VIEWER_TOKEN).get("/api/v1/console/topics/500/{id}/unknown?days=30", topic).then().statusCode(200)
                .body("counts.withState", equalTo(3))
                .body("counts.notSeenForDays", equalTo((int) (silentInSnapshot(30) - 1)))
                .body("counts.otherTopicsOnly", equalTo((int) (clients - 3 - (silentInSnapshot(30) - 1))));
    }

    @Test
    void aRefusedGzipUtf16BodyIsShownDecodedAndIndentedAndDownloadableAsItCame() throws Exception {
        UUID client = UUID.randomUUID();
        String xml = "<?xml version=\"1.0\" encoding=\"UTF-16\"?><Report><ReportHeader><Identification><Machine><ClientID>GUID:"
                + client.toString().toUpperCase() + "</ClientID></Machine></Identification></ReportHeader><ReportBody><Broken></ReportBody>";
        byte[] utf16 = ("\uFEFF" + xml).getBytes(StandardCharsets.UTF_16LE);
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(utf16);
        }
        long id = pool.preparedQuery("INSERT INTO bad_report (service, reason, detail, content_type, content_encoding, body, client_id) "
                        + "VALUES ('mp-relay-service', 'malformed_xml', 'mismatched tag', 'text/xml', 'gzip', $1, $2) RETURNING id")
                .execute(Tuple.of(io.vertx.core.buffer.Buffer.buffer(gz.toByteArray()), client)).await().indefinitely()
                .iterator().next().getLong(0);
        given().header("Authorization", "Bearer " + VIEWER_TOKEN).get("/api/v1/console/refused/{id}", id).then().statusCode(200)
                .body("charset", equalTo("gzip, UTF-16LE"))
                .body("text", containsString("\n  <ReportHeader>"))
                .body("text", containsString("<ClientID>GUID:" + client.toString().toUpperCase() + "</ClientID>"));
        String viewer = signIn("vera", VIEWER_TOKEN);
        byte[] raw = given().cookie("statesys_console", viewer).get("/console/refused/{id}/raw", id).then().statusCode(200)
                .header("Content-Disposition", containsString("refused-" + id + ".xml.gz")).extract().asByteArray();
        assertThat(raw).isEqualTo(gz.toByteArray());
        given().header("Authorization", "Bearer " + VIEWER_TOKEN).get("/api/v1/console/clients/{id}", ClientId.format(client)).then()
                .body("refused.id", hasItem((int) id)).body("known", equalTo(true));
        given().cookie("statesys_console", viewer).get("/console/refused/{id}", id).then().statusCode(200)
                .body(containsString("&lt;ReportBody&gt;"));
    }

    @Test
    void aFloodingClientTopsTheFloodsAndActivityCountsEveryClient() {
        UUID flood = UUID.randomUUID();
        UUID calm = UUID.randomUUID();
        // both have reported for ten days; the mark an hour ago says: calm kept its pace, flood sent 600 since
        for (UUID c : new UUID[] {flood, calm}) {
            sql("INSERT INTO client_message_stats (client_id, netbios_name, lowest_serial, highest_serial, messages, first_seen, last_seen) "
                    + "VALUES ($1, $2, 1, 1000, $3, now() - interval '10 days', now())", c, c == flood ? "FLOODER" : "CALM", c == flood ? 840L : 241L);
            sql("INSERT INTO client_rate_mark (client_id, site_code, marked_at, messages) VALUES ($1, own_site(), now() - interval '60 minutes', 240)", c);
        }
        sampler.takeNow().await().indefinitely();
        given().header("Authorization", "Bearer " + VIEWER_TOKEN).get("/api/v1/console/floods").then().statusCode(200)
                .body("sampled", equalTo(true))
                .body("floods[0].clientId", equalTo(ClientId.format(flood)))
                .body("floods[0].sinceMark", equalTo(600))
                .body("floods.find { it.clientId == '" + ClientId.format(calm) + "' }.sinceMark", equalTo(1));
        long clients = count("SELECT count(*) FROM client_message_stats");
        long active = count("SELECT count(*) FROM client_message_stats WHERE last_seen > now() - interval '24 hours'");
        given().header("Authorization", "Bearer " + VIEWER_TOKEN).get("/api/v1/console/activity").then().statusCode(200)
                .body("clients", equalTo((int) clients)).body("active24h", equalTo((int) active));
    }

    @Test
    void approveAndBlockFromThePageChangeTheIdentityAndAreAudited() {
        SigningClient c = SigningClient.ed25519();
        identities.insert(pool, c.client(), "WKS-P", ClientKey.fromDer(c.keys().getPublic().getEncoded()), ClientIdentity.Status.PENDING, null)
                .await().indefinitely();
        given().header("Authorization", "Bearer " + VIEWER_TOKEN).get("/api/v1/console/identity").then()
                .body("pendingClients.clientId", hasItem(c.clientId()));
        String admin = signIn("carol", ADMIN_TOKEN);
        String csrf = csrf(admin, "/console/identity");
        for (String change : new String[] {"approve", "block"}) {
            given().cookie("statesys_console", admin).redirects().follow(false).contentType("application/x-www-form-urlencoded")
                    .formParam("csrf", csrf).formParam("clientId", c.clientId()).formParam("change", change).formParam("back", "identity")
                    .post("/console/actions/identity").then().statusCode(303);
        }
        given().header("Authorization", "Bearer " + VIEWER_TOKEN).get("/api/v1/console/clients/{id}", c.clientId()).then()
                .body("identity.status", equalTo("blocked"));
        assertThat(count("SELECT count(*) FROM console_audit WHERE actor = 'carol' AND target = $1 AND action IN ('approve-client', 'block-client')",
                c.clientId())).isEqualTo(2);
    }

    @Test
    void theOverviewCountsWhatTheDatabaseHolds() {
        sampler.takeNow().await().indefinitely();
        long outstanding = count("SELECT count(*) FROM resync_request WHERE completed_at IS NULL");
        long refused = count("SELECT count(*) FROM bad_report");
        given().header("Authorization", "Bearer " + VIEWER_TOKEN).get("/api/v1/console/overview?hours=1").then().statusCode(200)
                .body("resyncs.outstanding", equalTo((int) outstanding)).body("refusedReports", equalTo((int) refused))
                .body("services.service", hasItem("resync-service"))
                .body("services.find { it.service == 'resync-service' }.status", equalTo("UP"))
                .body("services.find { it.service == 'mp-relay-service' }.status", equalTo("UNREACHABLE"))
                .body("fsp.status", equalTo("UNREACHABLE"))
                .body("charts.size()", equalTo(3));
    }
}
