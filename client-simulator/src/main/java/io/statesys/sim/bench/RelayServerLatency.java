package io.statesys.sim.bench;

import io.statesys.sim.simulate.Simulation;

import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/**
 * The relay's own answer time for reports over the run's clock, read from its Prometheus histogram
 * ({@code http_server_requests_seconds_bucket{uri="/api/v1/statemessages"}}) at the start of the
 * clock and at the drain. The clients' latency also holds what the load generator adds — its own
 * collector's pauses and the cores it shares with the services; this figure holds only the time
 * from the relay reading a request to its answer. A quantile is given as the upper edge of the
 * bucket it falls in, so "≤ 21.5 ms" means somewhere above the bucket below.
 */
final class RelayServerLatency implements Simulation.Phases {
    static final String ROUTE = "/api/v1/statemessages";
    static final double OBJECTIVE_SECONDS = 0.02;

    private final URI metrics;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private TreeMap<Double, Double> start;
    private TreeMap<Double, Double> end;

    RelayServerLatency(URI relay) {
        this.metrics = relay.resolve("/q/metrics");
    }

    @Override
    public void started() {
        start = scrape();
    }

    @Override
    public void drained() {
        end = scrape();
    }

    /** Cumulative answered reports per bucket edge (seconds), summed over status and outcome. */
    static TreeMap<Double, Double> buckets(String exposition) {
        TreeMap<Double, Double> out = new TreeMap<>();
        exposition.lines()
                .filter(l -> l.startsWith("http_server_requests_seconds_bucket{") && l.contains("uri=\"" + ROUTE + "\"")
                        && l.contains("method=\"POST\""))
                .forEach(l -> {
                    int le = l.indexOf("le=\"") + 4;
                    String edge = l.substring(le, l.indexOf('"', le));
                    double count = Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1));
                    out.merge("+Inf".equals(edge) ? Double.POSITIVE_INFINITY : Double.parseDouble(edge), count, Double::sum);
                });
        return out;
    }

    /** What the clock added to each bucket; empty when either scrape failed. */
    static TreeMap<Double, Double> delta(TreeMap<Double, Double> start, TreeMap<Double, Double> end) {
        TreeMap<Double, Double> d = new TreeMap<>();
        if (start == null || end == null) {
            return d;
        }
        end.forEach((edge, count) -> d.put(edge, count - start.getOrDefault(edge, 0.0)));
        return d;
    }

    /** The upper edge (seconds) of the bucket holding quantile q; NaN without answers. */
    static double quantile(TreeMap<Double, Double> cumulative, double q) {
        double total = cumulative.getOrDefault(Double.POSITIVE_INFINITY, 0.0);
        if (total <= 0) {
            return Double.NaN;
        }
        for (Map.Entry<Double, Double> e : cumulative.entrySet()) {
            if (e.getValue() >= q * total) {
                return e.getKey();
            }
        }
        return Double.POSITIVE_INFINITY;
    }

    void print(PrintStream out) {
        TreeMap<Double, Double> d = delta(start, end);
        double total = d.getOrDefault(Double.POSITIVE_INFINITY, 0.0);
        if (total <= 0) {
            out.println("  relay's own time  unknown (no report histogram at " + metrics + ")");
            return;
        }
        double within = d.getOrDefault(OBJECTIVE_SECONDS, Double.NaN);
        out.printf("  relay's own time p50 ≤ %s  p90 ≤ %s  p99 ≤ %s  (%,.0f answers, %.2f%% within %.0f ms; from request read to answer)%n",
                ms(quantile(d, 0.50)), ms(quantile(d, 0.90)), ms(quantile(d, 0.99)), total, 100 * within / total, OBJECTIVE_SECONDS * 1000);
    }

    private static String ms(double seconds) {
        return Double.isInfinite(seconds) ? "∞" : String.format("%.1f ms", seconds * 1000);
    }

    private TreeMap<Double, Double> scrape() {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(10)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? buckets(r.body()) : null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (java.io.IOException e) {
            return null;
        }
    }
}
