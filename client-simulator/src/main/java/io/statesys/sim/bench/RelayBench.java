package io.statesys.sim.bench;

import io.statesys.core.contract.ContractPaths;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import io.statesys.core.report.ClientId;
import io.statesys.core.report.StateMessage;
import io.statesys.core.signing.RequestSigner;
import io.statesys.sim.client.SignedRequests;

import java.net.URI;
import java.security.KeyPair;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Posts N reports of M messages from K concurrent connections to the relay and prints reports/s,
 * messages/s and latency percentiles. Bodies are generated before the clock starts (UTF-16, as real
 * clients send), so the figures are the relay's and Postgres's, not the generator's.
 */
@Command(name = "relay", aliases = {"ingest"}, mixinStandardHelpOptions = true,
        description = "Ingest benchmark of the mp-relay-service (or of the fallback status point: --url http://127.0.0.1:8082).")
public final class RelayBench implements Callable<Integer> {
    @Option(names = "--url", defaultValue = "http://127.0.0.1:8081", description = "relay base URL (default ${DEFAULT-VALUE})")
    String url;

    @Option(names = "--reports", defaultValue = "20000", description = "reports to post (default ${DEFAULT-VALUE})")
    int reports;

    @Option(names = "--messages", defaultValue = "10", description = "state messages per report (default ${DEFAULT-VALUE})")
    int messages;

    @Option(names = "--concurrency", defaultValue = "16", description = "concurrent connections (default ${DEFAULT-VALUE})")
    int concurrency;

    @Option(names = "--clients", defaultValue = "1000", description = "distinct client IDs (default ${DEFAULT-VALUE})")
    int clients;

    @Option(names = "--warmup", defaultValue = "1000", description = "reports posted before measuring (default ${DEFAULT-VALUE})")
    int warmup;

    @Option(names = "--alg", defaultValue = "ed25519", description = "client keys: ed25519 or rsa-v1_5-sha256 (RSA-2048) (default ${DEFAULT-VALUE})")
    String alg;

    @Option(names = "--unsigned", description = "post unsigned reports (a relay with statesys.identity.mode off)")
    boolean unsigned;

    @picocli.CommandLine.Mixin
    io.statesys.sim.EnrolmentOptions enrolment;

    @Option(names = "--registration-url", defaultValue = "http://127.0.0.1:8081",
            description = "the relay the clients register at (default ${DEFAULT-VALUE}; also when --url is the FSP)")
    String registrationUrl;

    @Option(names = "--details-bytes", defaultValue = "0",
            description = "add to each report a script result (no serial) with a StateDetails of this many base64 characters (default ${DEFAULT-VALUE}: none)")
    int detailsBytes;

    @Option(names = "--cpu-pid", defaultValue = "0", description = "the relay's process id: prints its CPU time per report and per message")
    long cpuPid;

    /** A body and its signature fields, all made before the clock starts (signing is the client's cost). */
    private record Signed(byte[] body, RequestSigner.Fields fields) {
    }

    @Override
    public Integer call() throws Exception {
        URI endpoint = URI.create(url + ContractPaths.STATE_MESSAGES);
        long genStart = System.nanoTime();
        Signed[] bodies = generate(warmup + reports);
        double genSeconds = (System.nanoTime() - genStart) / 1e9;
        long bytes = 0;
        for (Signed b : bodies) {
            bytes += b.body().length;
        }
        System.out.printf("generated %,d reports x %d messages (%,.1f MB UTF-16, %s) in %.1f s before the clock started%n",
                bodies.length, messages, bytes / 1e6, unsigned ? "unsigned" : "signed " + alg, genSeconds);

        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        run(http, endpoint, bodies, 0, warmup, new Histogram(3_600_000_000L, 3), new ConcurrentHashMap<>());

        Histogram latency = new Histogram(3_600_000_000L, 3);
        Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        double cpu0 = ProcessCpu.seconds(cpuPid);
        long start = System.nanoTime();
        run(http, endpoint, bodies, warmup, reports, latency, statuses);
        double seconds = (System.nanoTime() - start) / 1e9;
        double cpu = ProcessCpu.seconds(cpuPid) - cpu0;

        int accepted = statuses.getOrDefault(202, new AtomicInteger()).get();
        System.out.printf("relay ingest: %,d reports (%,d messages) from %d connections in %.2f s%n",
                reports, (long) reports * messages, concurrency, seconds);
        System.out.printf("  reports/s   %,10.0f%n", accepted / seconds);
        System.out.printf("  messages/s  %,10.0f%n", (double) accepted * messages / seconds);
        System.out.printf("  latency ms  p50 %.2f  p90 %.2f  p99 %.2f  max %.2f%n",
                latency.getValueAtPercentile(50) / 1e3, latency.getValueAtPercentile(90) / 1e3,
                latency.getValueAtPercentile(99) / 1e3, latency.getMaxValue() / 1e3);
        System.out.println("  answers     " + new TreeMap<>(statuses));
        if (cpuPid > 0 && cpu0 >= 0) {
            int perReport = messages + (detailsBytes > 0 ? 1 : 0);
            System.out.printf("  relay CPU   %.2f s: %.0f µs per report, %.1f µs per message%s%n", cpu, cpu * 1e6 / reports,
                    cpu * 1e6 / ((long) reports * perReport), detailsBytes > 0 ? " (with a " + detailsBytes + "-character StateDetails per report)" : "");
        }
        return accepted == reports ? 0 : 1;
    }

    private Signed[] generate(int n) {
        UUID[] ids = new UUID[clients];
        KeyPair[] keys = new KeyPair[clients];
        long[] nextSerial = new long[clients];
        String token = unsigned ? null : enrolment.token();
        for (int i = 0; i < clients; i++) {
            ids[i] = UUID.randomUUID();
            nextSerial[i] = 1;
            if (!unsigned) {
                keys[i] = BenchClients.keys(alg);
                BenchClients.register(URI.create(registrationUrl), ids[i], keys[i], alg, token);
            }
        }
        Signed[] out = new Signed[n];
        Instant now = Instant.now();
        for (int i = 0; i < n; i++) {
            int c = i % clients;
            List<StateMessage> batch = new ArrayList<>(SyntheticReports.messages(nextSerial[c], messages, 50, now));
            if (detailsBytes > 0) {
                batch.add(SyntheticReports.scriptResult(now, detailsBytes));
            }
            byte[] body = SyntheticReports.utf16(ids[c], batch);
            out[i] = new Signed(body, unsigned ? null
                    : RequestSigner.sign(body, ClientId.format(ids[c]), alg, keys[c].getPrivate()));
            nextSerial[c] += messages;
        }
        return out;
    }

    private void run(HttpClient http, URI endpoint, Signed[] bodies, int from, int count, Histogram latency,
                     Map<Integer, AtomicInteger> statuses) throws Exception {
        AtomicLong next = new AtomicLong(from);
        long end = (long) from + count;
        ExecutorService workers = Executors.newFixedThreadPool(concurrency);
        List<Future<Histogram>> results = new ArrayList<>();
        for (int t = 0; t < concurrency; t++) {
            results.add(workers.submit(() -> {
                Histogram h = new Histogram(3_600_000_000L, 3);
                long i;
                while ((i = next.getAndIncrement()) < end) {
                    Signed b = bodies[(int) i];
                    HttpRequest.Builder rb = HttpRequest.newBuilder(endpoint).header("Content-Type", "text/xml");
                    if (b.fields() != null) {
                        SignedRequests.withFields(rb, b.fields());
                    }
                    HttpRequest req = rb.POST(HttpRequest.BodyPublishers.ofByteArray(b.body())).build();
                    long t0 = System.nanoTime();
                    int status;
                    try {
                        status = http.send(req, HttpResponse.BodyHandlers.discarding()).statusCode();
                    } catch (java.io.IOException e) {
                        status = -1;
                    }
                    h.recordValue(Math.max(1, (System.nanoTime() - t0) / 1000));
                    statuses.computeIfAbsent(status, k -> new AtomicInteger()).incrementAndGet();
                }
                return h;
            }));
        }
        for (Future<Histogram> f : results) {
            latency.add(f.get());
        }
        workers.shutdown();
    }
}
