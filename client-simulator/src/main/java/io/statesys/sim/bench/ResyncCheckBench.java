package io.statesys.sim.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.concurrent.Callable;

/**
 * Seeds N clients' serial statistics, G of them with a missing range older than the minimum age,
 * then times the resync service's check (POST /api/v1/resync/check) until no request is left to
 * issue. Seeded rows carry a recognisable id prefix and are removed afterwards.
 */
@Command(name = "resync-check", mixinStandardHelpOptions = true, description = "Resync check benchmark.")
public final class ResyncCheckBench implements Callable<Integer> {
    @Option(names = "--clients", defaultValue = "1000000")
    int clients;

    @Option(names = "--gapped", defaultValue = "10000")
    int gapped;

    @Option(names = "--resync", defaultValue = "http://127.0.0.1:8084", description = "resync-service base URL")
    String resync;

    @Option(names = "--token", defaultValue = "${env:STATESYS_ADMIN_TOKEN}", description = "admin token (default: $STATESYS_ADMIN_TOKEN)")
    String token;

    @picocli.CommandLine.Mixin
    io.statesys.sim.DatabaseOptions db;

    static final String SEED_STATS = """
            INSERT INTO client_message_stats (client_id, lowest_serial, highest_serial, messages)
            SELECT ('00000000' || substr(md5('resync-bench' || g), 9))::uuid, 1, 100, 95
            FROM generate_series(1, ?) g
            ON CONFLICT DO NOTHING""";
    static final String SEED_GAPS = """
            INSERT INTO missing_range (client_id, first_serial, last_serial, detected_at)
            SELECT ('00000000' || substr(md5('resync-bench' || g), 9))::uuid, 50, 54, now() - interval '3 days' - g * interval '1 second'
            FROM generate_series(1, ?) g
            ON CONFLICT DO NOTHING""";
    static final String BENCH_ROWS = "client_id < '00000001-0000-0000-0000-000000000000'::uuid";

    @Override
    public Integer call() throws Exception {
        if (token == null || token.isBlank()) {
            System.out.println("an admin token is needed: --token or STATESYS_ADMIN_TOKEN (and the service started with it)");
            return 2;
        }
        try (Connection c = db.connect()) {
            cleanup(c);
            long t0 = System.nanoTime();
            try (PreparedStatement a = c.prepareStatement(SEED_STATS); PreparedStatement b = c.prepareStatement(SEED_GAPS)) {
                a.setInt(1, clients);
                a.executeUpdate();
                b.setInt(1, gapped);
                b.executeUpdate();
            }
            try (Statement s = c.createStatement()) {
                s.execute("ANALYZE client_message_stats");
                s.execute("ANALYZE missing_range");
            }
            System.out.printf("seeded %,d clients, %,d with a 3-day-old gap, in %.1f s%n", clients, gapped, (System.nanoTime() - t0) / 1e9);
            HttpClient http = HttpClient.newHttpClient();
            int round = 0;
            long totalIssued = 0;
            double totalSeconds = 0;
            while (true) {
                long s0 = System.nanoTime();
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(resync + "/api/v1/resync/check"))
                        .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.noBody()).build(),
                        HttpResponse.BodyHandlers.ofString());
                double seconds = (System.nanoTime() - s0) / 1e9;
                if (r.statusCode() != 200) {
                    System.out.println("check answered " + r.statusCode() + ": " + r.body());
                    return 1;
                }
                long issued = new ObjectMapper().readTree(r.body()).path("issued").asLong();
                round++;
                totalIssued += issued;
                totalSeconds += seconds;
                System.out.printf("  check %d: %s in %.3f s%n", round, r.body(), seconds);
                if (issued == 0 || round > 100) {
                    break;
                }
            }
            System.out.printf("resync check over %,d clients / %,d gapped: %,d requests issued in %d checks, %.3f s of check time%n",
                    clients, gapped, totalIssued, round, totalSeconds);
            cleanup(c);
        }
        return 0;
    }

    private static void cleanup(Connection c) throws Exception {
        try (Statement s = c.createStatement()) {
            s.execute("DELETE FROM resync_request WHERE " + BENCH_ROWS);
            s.execute("DELETE FROM missing_range WHERE " + BENCH_ROWS);
            s.execute("DELETE FROM client_message_stats WHERE " + BENCH_ROWS);
        }
    }
}
