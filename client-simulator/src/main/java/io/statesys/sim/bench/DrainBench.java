package io.statesys.sim.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.statesys.core.inbox.InboxPayload;
import io.statesys.core.report.StateMessage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;

/**
 * Pre-fills the inbox with N messages in one transaction (so the running processor sees them all at
 * once, at commit) and measures how fast the processor drains them: messages/s from commit to an
 * empty inbox, plus the loader's own per-chunk latency from its Prometheus metrics.
 */
@Command(name = "drain", mixinStandardHelpOptions = true, description = "Drain benchmark of the state-processor-service.")
public final class DrainBench implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--messages", defaultValue = "1000000", description = "messages to pre-fill (default ${DEFAULT-VALUE})")
    int messages;

    @Option(names = "--clients", defaultValue = "10000", description = "distinct clients (default ${DEFAULT-VALUE})")
    int clients;

    @Option(names = "--per-report", defaultValue = "10", description = "messages per report (default ${DEFAULT-VALUE})")
    int perReport;

    @Option(names = "--update-share", defaultValue = "0.2", description = "share of messages that update a topic the client already reported (default ${DEFAULT-VALUE})")
    double updateShare;

    @Option(names = "--clients-from", description = "the same clients run after run: client i is the UUID (N, i) rather than a random one — "
            + "a second run resends to the states the first one left (with --first-serial above the first run's serials)")
    Long clientsFrom;

    @Option(names = "--first-serial", defaultValue = "1", description = "each client's first serial number (default ${DEFAULT-VALUE})")
    long firstSerial;

    @Option(names = "--state", defaultValue = "2",
            description = "the state the new topics report (default ${DEFAULT-VALUE}); a resend run with the first run's state repeats identical states, another changes them")
    int state;

    @Option(names = "--processor", defaultValue = "http://127.0.0.1:8083", description = "processor base URL (default ${DEFAULT-VALUE})")
    String processor;

    @picocli.CommandLine.Mixin
    io.statesys.sim.DatabaseOptions db;

    @Option(names = "--timeout", defaultValue = "600", description = "seconds to wait for the drain (default ${DEFAULT-VALUE})")
    int timeoutSeconds;

    @Option(names = "--details-bytes", defaultValue = "0",
            description = "add to each report a script result (no serial) with a StateDetails of this many base64 characters (default ${DEFAULT-VALUE}: none)")
    int detailsBytes;

    @Option(names = "--cpu-pid", defaultValue = "0", description = "the processor's process id: prints its CPU time per report and per message")
    long cpuPid;

    @Option(names = "--tables", description = "print the churned tables' sizes, dead rows and bloat (pgstattuple) before and after the drain")
    boolean tables;

    @Option(names = "--priority-probe", description = "once the drain is under way, queue one Priority 5 report behind the backlog and time it until its state is loaded")
    boolean priorityProbe;

    @Override
    public Integer call() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long before = inboxReports(http);
        if (before != 0) {
            System.out.println("inbox is not empty (" + before + " reports); wait for the processor to drain it first");
            return 2;
        }
        int perClient = messages / clients;
        int fresh = (int) Math.round(perClient * (1 - updateShare));
        System.out.printf("pre-filling %,d messages: %,d clients x %d messages (%d topics each, %.0f%% updates), %d per report%n",
                (long) perClient * clients, clients, perClient, fresh, updateShare * 100, perReport);
        long prefillStart = System.nanoTime();
        long reports = 0;
        long totalMessages = 0;
        // later than any earlier run's messages (their newest is at most an hour and perClient seconds old)
        Instant t0 = Instant.now().minusSeconds(3600).plusSeconds(firstSerial);
        boolean exact = false;
        if (tables) {
            try (Connection c = db.connect()) {
                TableSizes.printSettings(c, System.out);
                exact = TableSizes.pgstattuple(c);
                TableSizes.print(c, "before the pre-fill", exact, System.out);
            }
        }
        try (Connection c = db.connectForBulkInserts()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO inbox (client_id, netbios_name, message_count, payload) VALUES (?, ?, ?, ?)")) {
                for (int ci = 0; ci < clients; ci++) {
                    UUID client = clientsFrom == null ? UUID.randomUUID() : new UUID(clientsFrom, ci);
                    List<StateMessage> all = new ArrayList<>(perClient);
                    for (int s = 0; s < perClient; s++) {
                        int topic = s < fresh ? s : (s - fresh) % Math.max(1, fresh);
                        all.add(new StateMessage(t0.plusSeconds(s), s + firstSerial, topic % 2 == 0 ? 500 : 402,
                                SyntheticReports.updateId(topic), 3, s < fresh ? state : state + 1, 0, List.of("102")));
                    }
                    for (int from = 0; from < all.size(); from += perReport) {
                        List<StateMessage> part = new ArrayList<>(all.subList(from, Math.min(all.size(), from + perReport)));
                        if (detailsBytes > 0) {
                            part.add(SyntheticReports.scriptResult(t0.plusSeconds(from), detailsBytes));
                        }
                        ps.setObject(1, client);
                        ps.setString(2, "WKS-" + ci);
                        ps.setInt(3, part.size());
                        ps.setBytes(4, InboxPayload.encode(part));
                        ps.addBatch();
                        reports++;
                        totalMessages += part.size();
                        if (reports % 1000 == 0) {
                            ps.executeBatch();
                        }
                    }
                }
                ps.executeBatch();
            }
            System.out.printf("inserted %,d reports in %.1f s; committing, then NOTIFY wakes the loaders%n",
                    reports, (System.nanoTime() - prefillStart) / 1e9);
            c.commit();
            try (Statement st = c.createStatement()) {
                st.execute("NOTIFY statesys_inbox"); // what the relay does after its commits
            }
            c.commit();
        }
        if (tables) {
            try (Connection c = db.connect()) {
                TableSizes.print(c, "with the backlog queued", exact, System.out);
            }
        }
        double cpu0 = ProcessCpu.seconds(cpuPid);
        double pg0 = ProcessCpu.postgresSeconds();
        long start = System.nanoTime();
        Metrics m0 = metrics(http);
        if (priorityProbe) {
            probe(http);
        }
        long left;
        long deadline = start + timeoutSeconds * 1_000_000_000L;
        while ((left = inboxReports(http)) > 0 && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (left > 0) {
            System.out.printf("FAILED: %,d reports still in the inbox after %d s%n", left, timeoutSeconds);
            return 1;
        }
        double cpu = ProcessCpu.seconds(cpuPid) - cpu0;
        double pg = ProcessCpu.postgresSeconds() - pg0;
        Metrics m1 = metrics(http);
        long chunks = Math.round(m1.count - m0.count);
        System.out.printf("drained %,d messages (%,d reports) in %.2f s%n", totalMessages, reports, seconds);
        System.out.printf("  drain rate       %,10.0f messages/s%n", totalMessages / seconds);
        System.out.printf("  chunks           %,10d (%.0f reports, %.0f messages each)%n", chunks,
                (double) reports / Math.max(1, chunks), (double) totalMessages / Math.max(1, chunks));
        System.out.printf("  chunk latency    mean %.1f ms  p50 %.1f ms  p99 %.1f ms (processor's own timer)%n",
                chunks == 0 ? 0 : (m1.sum - m0.sum) / chunks * 1000, m1.p50 * 1000, m1.p99 * 1000);
        if (cpuPid > 0 && cpu0 >= 0) {
            System.out.printf("  processor CPU    %.2f s: %.0f µs per report, %.1f µs per message%s%n", cpu, cpu * 1e6 / reports,
                    cpu * 1e6 / totalMessages, detailsBytes > 0 ? " (with a " + detailsBytes + "-character StateDetails per report)" : "");
        }
        if (pg0 >= 0) {
            System.out.printf("  PostgreSQL CPU   %.2f s: %.1f µs per message (all its processes on this machine)%n", pg, pg * 1e6 / totalMessages);
        }
        if (tables) {
            try (Connection c = db.connect()) {
                Thread.sleep(1500); // the loaders' table statistics reach pg_stat within a second of their last transaction
                TableSizes.print(c, "after the drain", exact, System.out);
            }
        }
        return 0;
    }

    /**
     * A Priority 5 report, written as the relay writes one, committed while the loaders are busy
     * with the backlog; timed from its commit until the processor serves its state.
     */
    private void probe(HttpClient http) throws Exception {
        Thread.sleep(2000); // the loaders are well into the backlog
        UUID client = UUID.randomUUID();
        StateMessage m = new StateMessage(Instant.now(), 1L, 500, SyntheticReports.updateId(1), 3, 3, 0, List.of("102"));
        long waiting = inboxReports(http);
        try (Connection c = db.connect()) {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO inbox (client_id, netbios_name, message_count, payload, priority) VALUES (?, 'WKS-URGENT', 1, ?, 5)")) {
                ps.setObject(1, client);
                ps.setBytes(2, InboxPayload.encode(List.of(m)));
                ps.executeUpdate();
            }
        }
        long committed = System.nanoTime();
        URI states = URI.create(processor + "/api/v1/clients/" + io.statesys.core.report.ClientId.format(client) + "/states");
        while (http.send(HttpRequest.newBuilder(states).build(), HttpResponse.BodyHandlers.discarding()).statusCode() != 200) {
            if (System.nanoTime() - committed > timeoutSeconds * 1_000_000_000L) {
                throw new IllegalStateException("the Priority 5 report was not loaded within " + timeoutSeconds + " s");
            }
            Thread.sleep(10);
        }
        double seconds = (System.nanoTime() - committed) / 1e9;
        System.out.printf("  priority probe   a Priority 5 report queued behind %,d reports was loaded %.2f s after its commit (%,d reports still waiting then)%n",
                waiting, seconds, inboxReports(http));
    }

    private long inboxReports(HttpClient http) throws Exception {
        String body = http.send(HttpRequest.newBuilder(URI.create(processor + "/api/v1/status")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        JsonNode reports = JSON.readTree(body).path("inbox").path("reports");
        if (!reports.isNumber()) {
            throw new IllegalStateException("unexpected status answer: " + body);
        }
        return reports.asLong();
    }

    private record Metrics(double count, double sum, double p50, double p99) {
    }

    private Metrics metrics(HttpClient http) throws Exception {
        String text = http.send(HttpRequest.newBuilder(URI.create(processor + "/q/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        return new Metrics(value(text, "statesys_loader_chunk_latency_seconds_count"),
                value(text, "statesys_loader_chunk_latency_seconds_sum"),
                value(text, "statesys_loader_chunk_latency_seconds{quantile=\"0.5\"}"),
                value(text, "statesys_loader_chunk_latency_seconds{quantile=\"0.99\"}"));
    }

    private static double value(String metrics, String name) {
        for (String line : metrics.split("\n")) {
            if (line.startsWith(name + " ") || (line.startsWith(name.replace("}", ",")) && name.contains("{"))) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return 0;
    }
}
