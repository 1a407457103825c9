package io.statesys.sim.bench;

import io.statesys.core.inbox.InboxPayload;
import io.statesys.core.report.StateMessage;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;

/**
 * What a status call costs with a backlog queued: fills the inbox with N messages the loaders will
 * not claim (not_before = infinity, so the backlog stays while it is measured), then times the
 * processor's {@code /api/v1/status} (and, given a token, the console's overview) one request
 * after another, and for comparison the statement that used to answer it — reading the whole
 * inbox. Removes its reports at the end.
 */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Latency of the status views with a backlog queued in the inbox.")
public final class StatusBench implements Callable<Integer> {
    /** How the backlog was counted before the inbox kept a tally (V28): one pass over every row. */
    static final String READ_WHOLE_INBOX = """
            SELECT count(*), coalesce(sum(message_count), 0),
                   floor(coalesce(extract(epoch FROM now() - min(received_at)), 0))::bigint FROM inbox""";

    @Option(names = "--messages", defaultValue = "10000000", description = "messages to queue (default ${DEFAULT-VALUE})")
    long messages;

    @Option(names = "--per-report", defaultValue = "50", description = "messages per report (default ${DEFAULT-VALUE})")
    int perReport;

    @Option(names = "--requests", defaultValue = "1000", description = "status requests timed (default ${DEFAULT-VALUE})")
    int requests;

    @Option(names = "--processor", defaultValue = "http://127.0.0.1:8083", description = "processor base URL (default ${DEFAULT-VALUE})")
    String processor;

    @Option(names = "--resync", description = "resync service base URL: also time the console's overview (JSON)")
    String resync;

    @Option(names = "--token", description = "an admin token for the console")
    String token;

    @picocli.CommandLine.Mixin
    io.statesys.sim.DatabaseOptions db;

    @Override
    public Integer call() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long reports = messages / perReport;
        String marker = "status-bench-" + UUID.randomUUID();
        try (Connection c = db.connectForBulkInserts()) {
            fill(c, reports, marker);
            System.out.printf("queued %,d messages in %,d reports (never claimed while measured)%n", reports * perReport, reports);
            time(http, "processor /api/v1/status", HttpRequest.newBuilder(URI.create(processor + "/api/v1/status")).build());
            if (resync != null && token != null) {
                time(http, "console overview (JSON)", HttpRequest.newBuilder(URI.create(resync + "/api/v1/console/overview"))
                        .header("Authorization", "Bearer " + token).build());
            }
            timeWholeInbox(c);
        } finally {
            try (Connection c = db.connect(); Statement st = c.createStatement()) {
                st.executeUpdate("DELETE FROM inbox WHERE netbios_name = '" + marker + "'");
                st.execute("VACUUM inbox");
            }
        }
        return 0;
    }

    private void fill(Connection c, long reports, String marker) throws Exception {
        long t0 = System.nanoTime();
        c.setAutoCommit(false);
        Instant at = Instant.now().minusSeconds(600);
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO inbox (client_id, netbios_name, message_count, payload, not_before)
                VALUES (?, ?, ?, ?, 'infinity')""")) {
            for (long r = 0; r < reports; r++) {
                List<StateMessage> part = SyntheticReports.messages(r * perReport + 1, perReport, 20, at);
                ps.setObject(1, UUID.randomUUID());
                ps.setString(2, marker);
                ps.setInt(3, part.size());
                ps.setBytes(4, InboxPayload.encode(part));
                ps.addBatch();
                if ((r + 1) % 1000 == 0) {
                    ps.executeBatch();
                }
            }
            ps.executeBatch();
        }
        c.commit();
        c.setAutoCommit(true);
        try (Statement st = c.createStatement()) {
            st.execute("ANALYZE inbox");
        }
        System.out.printf("filled in %.1f s%n", (System.nanoTime() - t0) / 1e9);
    }

    private void time(HttpClient http, String what, HttpRequest request) throws Exception {
        Histogram h = new Histogram(60_000_000_000L, 3);
        for (int i = 0; i < requests + requests / 10; i++) {
            long s = System.nanoTime();
            HttpResponse<String> answer = http.send(request, HttpResponse.BodyHandlers.ofString());
            long took = System.nanoTime() - s;
            if (answer.statusCode() != 200) {
                throw new IllegalStateException(what + " answered " + answer.statusCode() + ": " + answer.body());
            }
            if (i >= requests / 10) { // the first tenth warms the path and is not counted
                h.recordValue(took);
            }
        }
        print(what, h);
    }

    private void timeWholeInbox(Connection c) throws Exception {
        Histogram h = new Histogram(60_000_000_000L, 3);
        try (Statement st = c.createStatement()) {
            for (int i = 0; i < 20; i++) {
                long s = System.nanoTime();
                try (ResultSet rs = st.executeQuery(READ_WHOLE_INBOX)) {
                    rs.next();
                }
                h.recordValue(System.nanoTime() - s);
            }
        }
        print("reading the whole inbox instead (SQL)", h);
    }

    private static void print(String what, Histogram h) {
        System.out.printf("  %-38s p50 %7.2f ms  p99 %7.2f ms  max %7.2f ms  (%d requests)%n", what,
                h.getValueAtPercentile(50) / 1e6, h.getValueAtPercentile(99) / 1e6, h.getMaxValue() / 1e6, h.getTotalCount());
    }
}
