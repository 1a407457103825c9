package io.statesys.sim.chaos;

import io.statesys.core.contract.ContractPaths;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@code statesys-sim chaos flood}: oversized and malformed reports at the relay and the FSP while
 * good clients keep sending. Every one must get its 4xx with a JSON error body; a 2xx (bad input
 * kept), a 5xx, a bare status or a dropped connection fails the flood (exit 1).
 */
@Command(name = "flood", mixinStandardHelpOptions = true,
        description = "Sends oversized and malformed reports; each must be refused with a JSON 4xx.")
public final class FloodCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--target", required = true, description = "base URL of a relay or FSP (repeatable)")
    List<URI> targets;

    @Option(names = "--oversized", defaultValue = "12", description = "oversized reports per target (default ${DEFAULT-VALUE})")
    int oversized;

    @Option(names = "--malformed", defaultValue = "300", description = "malformed reports per target (default ${DEFAULT-VALUE})")
    int malformed;

    @Option(names = "--limit-bytes", defaultValue = "8388608", description = "the services' statesys.limits.max-body-bytes (default ${DEFAULT-VALUE})")
    long limitBytes;

    @Option(names = "--concurrency", defaultValue = "4")
    int concurrency;

    @Option(names = "--seed", defaultValue = "1")
    long seed;

    private record Shot(URI target, BadReports.Kind kind) {
    }

    @Override
    public Integer call() throws Exception {
        List<BadReports.Kind> big = BadReports.oversized(limitBytes);
        List<BadReports.Kind> small = BadReports.malformed(new Random(seed));
        ConcurrentLinkedQueue<Shot> shots = new ConcurrentLinkedQueue<>();
        for (URI t : targets) {
            // interleaved, so that the big ones arrive while the small ones keep coming
            int n = Math.max(oversized, malformed);
            for (int i = 0; i < n; i++) {
                if (i < oversized) {
                    shots.add(new Shot(t, big.get(i % big.size())));
                }
                if (i < malformed) {
                    shots.add(new Shot(t, small.get(i % small.size())));
                }
            }
        }
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        Map<String, Map<String, Integer>> answers = new TreeMap<>();
        List<String> wrong = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        List<Future<?>> workers = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int i = 0; i < concurrency; i++) {
            workers.add(pool.submit(() -> {
                Shot s;
                while ((s = shots.poll()) != null) {
                    String outcome = fire(http, s);
                    synchronized (answers) {
                        answers.computeIfAbsent(s.kind().name(), k -> new TreeMap<>()).merge(outcome, 1, Integer::sum);
                        if (!outcome.startsWith(s.kind().oversized() ? "413 " : "4") || !outcome.endsWith("json")) {
                            if (wrong.size() < 20) {
                                wrong.add(s.target() + " " + s.kind().name() + " → " + outcome);
                            }
                        }
                    }
                }
            }));
        }
        for (Future<?> f : workers) {
            f.get();
        }
        pool.shutdown();
        System.out.printf("flood: %d requests in %.1f s%n", answers.values().stream().flatMap(m -> m.values().stream()).mapToInt(Integer::intValue).sum(),
                (System.nanoTime() - t0) / 1e9);
        answers.forEach((kind, m) -> System.out.printf("  %-36s %s%n", kind, m));
        if (!wrong.isEmpty()) {
            System.out.println("  FAILED: answers other than a JSON 4xx (413 for the oversized), e.g.");
            wrong.forEach(w -> System.out.println("    " + w));
            return 1;
        }
        System.out.println("  every one refused with its JSON 4xx");
        return 0;
    }

    /** "STATUS code json" for a JSON error body, "STATUS bare" otherwise, "no answer: …" when the exchange failed. */
    private static String fire(HttpClient http, Shot s) {
        BadReports.Kind k = s.kind();
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(s.target() + ContractPaths.STATE_MESSAGES))
                .timeout(Duration.ofSeconds(60)).header("Content-Type", "text/xml");
        if (k.gzip()) {
            req.header("Content-Encoding", "gzip");
        }
        req.POST(k.chunked() ? HttpRequest.BodyPublishers.ofInputStream(() -> BadReports.stream(k.body()))
                : HttpRequest.BodyPublishers.ofByteArray(k.body()));
        try {
            HttpResponse<String> r = http.send(req.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode body = null;
            try {
                body = r.body() == null || r.body().isBlank() ? null : JSON.readTree(r.body());
            } catch (Exception notJson) {
                // a bare status: reported as such
            }
            return body != null && body.hasNonNull("error") ? r.statusCode() + " " + body.get("error").asText() + " json" : r.statusCode() + " bare";
        } catch (Exception e) {
            return "no answer: " + e.getClass().getSimpleName();
        }
    }
}
