package io.statesys.sim.bench;

import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * The console's page timings at scale: seeds a site of N clients with M latest states each (the
 * issue's 1,000,000 clients and 20,000,000 states by default) into an empty Statesys database,
 * plus identities, gaps, resync requests, refused reports, dead letters and a day of samples; then
 * signs in and times every view, as HTML and as its JSON twin, and prints p50/p95/max per view.
 * Run it with {@code ./statesys console bench}, which makes the database and starts the resync service.
 */
@Command(name = "console", mixinStandardHelpOptions = true, description = "Console page timings at scale.")
public final class ConsoleBench implements Callable<Integer> {
    @Option(names = "--clients", defaultValue = "1000000")
    int clients;

    @Option(names = "--states-per-client", defaultValue = "20")
    int statesPerClient;

    @Option(names = "--topics", defaultValue = "400", description = "distinct update topics the states spread over")
    int topics;

    @Option(names = "--requests", defaultValue = "20", description = "timed requests per view (after 3 unmeasured)")
    int requests;

    @Option(names = "--skip-seed", description = "time the views on what the database holds")
    boolean skipSeed;

    @Option(names = "--resync", defaultValue = "http://127.0.0.1:8084", description = "resync-service base URL (serves the console)")
    String resync;

    @Option(names = "--token", defaultValue = "${env:STATESYS_ADMIN_TOKEN}", description = "admin token (default: $STATESYS_ADMIN_TOKEN)")
    String token;

    @picocli.CommandLine.Mixin
    io.statesys.sim.DatabaseOptions db;

    /** Client g's id: reproducible, so the bench can name a client it seeded. */
    static final String ID = "md5('console-bench' || g)::uuid";

    @Override
    public Integer call() throws Exception {
        if (token == null || token.isBlank()) {
            System.out.println("an admin token is needed: --token or STATESYS_ADMIN_TOKEN (and the service started with it)");
            return 2;
        }
        String client;
        String name;
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            if (!skipSeed) {
                seed(s);
            }
            try (ResultSet r = s.executeQuery("SELECT 'GUID:' || upper(client_id::text), netbios_name FROM client_message_stats s "
                    + "WHERE EXISTS (SELECT 1 FROM missing_range m WHERE m.client_id = s.client_id) LIMIT 1")) {
                r.next();
                client = r.getString(1);
                name = r.getString(2);
            }
            System.out.printf("database: %,d clients, %,d latest states (%s)%n", count(s, "client_message_stats"), count(s, "topic_state"),
                    size(s, "topic_state"));
        }
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        String cookie = signIn(http);
        String deadLetter;
        String refused;
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            deadLetter = one(s, "SELECT max(id) FROM fsp_dead_letter");
            refused = one(s, "SELECT max(id) FROM bad_report");
        }
        Map<String, String> views = new LinkedHashMap<>();
        views.put("overview", "/overview");
        views.put("topics", "/topics");
        views.put("topic (clients per state)", "/topics/500/update-7");
        views.put("topic: clients in a state, newest first", "/topics/500/update-7?state=2&sort=newest&page=3");
        views.put("unknown breakdown", "/topics/500/update-7/unknown?days=30");
        views.put("client page", "/clients/" + client);
        views.put("client search by name", "/clients?q=" + URLEncoder.encode(name.substring(0, name.length() - 1), StandardCharsets.UTF_8));
        views.put("gaps and resyncs", "/resyncs");
        views.put("refused input", "/refused");
        views.put("refused body", "/refused/" + refused);
        views.put("fsp", "/fsp");
        views.put("dead letter", "/fsp/dead-letters/" + deadLetter);
        views.put("floods", "/floods");
        views.put("activity", "/activity");
        views.put("identity", "/identity");
        views.put("sites", "/sites");
        views.put("audit", "/audit");
        System.out.printf("%n| view | HTML p50 ms | HTML p95 | HTML max | JSON p50 ms | JSON p95 | JSON max |%n|---|---:|---:|---:|---:|---:|---:|%n");
        boolean allFast = true;
        for (Map.Entry<String, String> v : views.entrySet()) {
            Histogram html = time(http, URI.create(resync + "/console" + v.getValue()), "Cookie", "statesys_console=" + cookie);
            Histogram json = time(http, URI.create(resync + "/api/v1/console" + v.getValue()), "Authorization", "Bearer " + token);
            allFast &= html.getValueAtPercentile(95) < 300_000 && json.getValueAtPercentile(95) < 300_000;
            System.out.printf(Locale.ROOT, "| %s | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f |%n", v.getKey(), ms(html, 50), ms(html, 95),
                    html.getMaxValue() / 1000.0, ms(json, 50), ms(json, 95), json.getMaxValue() / 1000.0);
        }
        System.out.println(allFast ? "\nevery view: p95 < 300 ms" : "\nsome view took 300 ms or more at p95");
        // the sampler's cost (it reads every client once per sample), as the service measured it
        HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(URI.create(resync + "/q/metrics")).build(), HttpResponse.BodyHandlers.ofString());
        for (String line : metrics.body().split("\n")) {
            if (line.startsWith("statesys_console_sample_duration_seconds_")) {
                System.out.println(line);
            }
        }
        return 0;
    }

    void seed(Statement s) throws Exception {
        long t0 = System.nanoTime();
        if (count(s, "client_message_stats") > 0) {
            throw new IllegalStateException("the database already holds clients: seed an empty one (or --skip-seed)");
        }
        // a site's clients: reporting for 90 days, last seen spread over 45 days (a third silent for over 30)
        s.execute("INSERT INTO client_message_stats (client_id, netbios_name, lowest_serial, highest_serial, messages, first_seen, last_seen) "
                + "SELECT " + ID + ", 'WKS-' || g, 1, 40 + g % 7, 40 + g % 7, now() - interval '90 days', "
                + "now() - (g % 45) * interval '1 day' - (g % 1440) * interval '1 minute' FROM generate_series(1, " + clients + ") g");
        System.out.printf("seeded %,d clients' statistics (%.0f s)%n", clients, (System.nanoTime() - t0) / 1e9);
        // each client holds states for statesPerClient of the topics (distinct per client), states 0-3
        int step = Math.max(1, topics / statesPerClient);
        int chunk = 100_000;
        for (int from = 1; from <= clients; from += chunk) {
            s.execute("INSERT INTO topic_state (client_id, topic_type, topic_id, topic_key, id_type, state_id, message_time, serial_number) "
                    + "SELECT " + ID + ", 500, t, topic_key(500, t), 3, (g + j) % 4, "
                    + "now() - (g % 30) * interval '1 day', j FROM generate_series(" + from + ", " + Math.min(clients, from + chunk - 1) + ") g, "
                    + "generate_series(1, " + statesPerClient + ") j, "
                    + "LATERAL (SELECT 'update-' || ((g + j * " + step + ") % " + topics + ")) AS k(t)");
        }
        System.out.printf("seeded %,d latest states (%.0f s)%n", (long) clients * statesPerClient, (System.nanoTime() - t0) / 1e9);
        // every client registered; 1,000 pending, 50 blocked; 10,000 registered that never reported
        s.execute("INSERT INTO client_identity (client_id, netbios_name, algorithm, public_key, key_fingerprint, status, registered_at) "
                + "SELECT " + ID + ", 'WKS-' || g, 'ed25519', '\\x00'::bytea, md5(g::text), "
                + "CASE WHEN g % 1000 = 0 THEN 'pending' WHEN g % 20000 = 1 THEN 'blocked' ELSE 'approved' END, now() - interval '90 days' "
                + "FROM generate_series(1, " + (clients + 10_000) + ") g");
        // 20,000 clients with a gap, 5,000 outstanding resyncs, refused reports, dead letters
        s.execute("INSERT INTO missing_range (client_id, first_serial, last_serial, detected_at) SELECT " + ID + ", 10, 12, now() - interval '2 days' "
                + "FROM generate_series(1, " + clients + ", " + Math.max(1, clients / 20_000) + ") g");
        s.execute("INSERT INTO resync_request (client_id, issued_at, first_issued_at, reissue_count) SELECT " + ID + ", now() - interval '1 hour', "
                + "now() - interval '1 day', g % 3 FROM generate_series(1, " + clients + ", " + Math.max(1, clients / 5_000) + ") g");
        s.execute("INSERT INTO bad_report (service, reason, detail, content_type, body, client_id) SELECT 'mp-relay-service', "
                + "(ARRAY['malformed_xml','invalid_report','report_too_large'])[1 + g % 3], 'seeded', 'text/xml', "
                + "convert_to('<Report><ReportHeader><Identification><Machine><ClientID>GUID:' || upper((" + ID + ")::text) || "
                + "'</ClientID></Machine></Identification></ReportHeader><ReportBody><Broken></ReportBody>', 'UTF8'), " + ID + " "
                + "FROM generate_series(1, 1000) g");
        s.execute("INSERT INTO fsp_dead_letter (client_id, netbios_name, received_at, message_count, payload, relay_status, relay_answer) "
                + "SELECT " + ID + ", 'WKS-' || g, now() - interval '1 hour', 0, '\\x'::bytea, 403, 'client_blocked' FROM generate_series(1, 100) g");
        // one dead letter with real messages, to inspect
        try (java.sql.PreparedStatement ps = s.getConnection().prepareStatement("INSERT INTO fsp_dead_letter (client_id, netbios_name, "
                + "received_at, message_count, payload, relay_status, relay_answer) VALUES (md5('console-bench1')::uuid, 'WKS-1', now(), 3, ?, 403, "
                + "'client_blocked')")) {
            java.util.List<io.statesys.core.report.StateMessage> m = new java.util.ArrayList<>();
            for (int i = 0; i < 3; i++) {
                m.add(new io.statesys.core.report.StateMessage(java.time.Instant.now(), 41L + i, 500, "update-" + i, 3, 2, 0, java.util.List.of("102"), null));
            }
            ps.setBytes(1, io.statesys.core.inbox.InboxPayload.encode(new io.statesys.core.report.Sender("5.00.9128.1000", 1, 1, null, null), m));
            ps.executeUpdate();
        }
        // a day of samples every 30 s, and floods
        s.execute("INSERT INTO console_sample (sampled_at, inbox_reports, inbox_messages, oldest_age_seconds, processed, received, fsp_queued, "
                + "outstanding_resyncs, clients, active_24h, active_7d, stale_30d, never_reported) "
                + "SELECT now() - g * interval '30 seconds', 1000 + g % 500, 50000 + (g * 37) % 20000, g % 600, 100000000 - g * 15000, "
                + "100050000 - g * 15000, 0, 5000, " + clients + ", " + clients / 45 + ", " + clients * 7 / 45 + ", " + clients / 3 + ", 10000 "
                + "FROM generate_series(1, 2880) g");
        System.out.printf("seeded identities, gaps, resyncs, refused reports, dead letters, samples (%.0f s); VACUUM ANALYZE…%n",
                (System.nanoTime() - t0) / 1e9);
        for (String t : new String[] {"client_message_stats", "topic_state", "client_identity", "missing_range", "resync_request", "bad_report",
                "fsp_dead_letter", "console_sample"}) {
            s.execute("VACUUM ANALYZE " + t);
        }
        System.out.printf("seeded in %.0f s%n", (System.nanoTime() - t0) / 1e9);
    }

    String signIn(HttpClient http) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(resync + "/console/sign-in"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("name=console-bench&token=" + URLEncoder.encode(token, StandardCharsets.UTF_8))).build(),
                HttpResponse.BodyHandlers.ofString());
        String setCookie = r.headers().firstValue("Set-Cookie").orElseThrow(() -> new IllegalStateException("sign-in refused: " + r.statusCode()));
        return setCookie.substring(setCookie.indexOf('=') + 1, setCookie.indexOf(';'));
    }

    Histogram time(HttpClient http, URI uri, String header, String value) throws Exception {
        Histogram h = new Histogram(60_000_000L, 3);
        for (int i = 0; i < requests + 3; i++) {
            long t0 = System.nanoTime();
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).header(header, value).build(), HttpResponse.BodyHandlers.ofString());
            long micros = (System.nanoTime() - t0) / 1000;
            if (r.statusCode() != 200) {
                throw new IllegalStateException(uri + " answered " + r.statusCode() + ": " + r.body());
            }
            if (i >= 3) {
                h.recordValue(Math.min(micros, 60_000_000L));
            }
        }
        return h;
    }

    static double ms(Histogram h, double percentile) {
        return h.getValueAtPercentile(percentile) / 1000.0;
    }

    static long count(Statement s, String table) throws Exception {
        try (ResultSet r = s.executeQuery("SELECT count(*) FROM " + table)) {
            r.next();
            return r.getLong(1);
        }
    }

    static String size(Statement s, String table) throws Exception {
        return one(s, "SELECT pg_size_pretty(pg_total_relation_size('" + table + "'))");
    }

    static String one(Statement s, String sql) throws Exception {
        try (ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getString(1);
        }
    }
}
