package io.statesys.sim.bench;

import io.statesys.core.contract.ContractPaths;
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
 * from the relay reading a request to its answer. Beside it, the database's part of that time: the
 * inbox's commit ({@code statesys_relay_inbox_commit_seconds}, from a report joining the group
 * commit to its commit); what is left is the relay's own CPU and the cores it waited for. A
 * quantile is given as the upper edge of the bucket it falls in, so "≤ 21.5 ms" means somewhere
 * above the bucket below.
 */
final class RelayServerLatency implements Simulation.Phases {
    static final String ROUTE = ContractPaths.STATE_MESSAGES;
    static final double OBJECTIVE_SECONDS = 0.02;

    /** Which histogram: the prefix of its bucket lines and what else a line must hold. */
    enum Series {
        ANSWERS("http_server_requests_seconds_bucket{", "uri=\"" + ROUTE + "\"", "method=\"POST\""),
        COMMITS("statesys_relay_inbox_commit_seconds_bucket{");

        private final String prefix;
        private final String[] holds;

        Series(String prefix, String... holds) {
            this.prefix = prefix;
            this.holds = holds;
        }

        boolean selects(String line) {
            if (!line.startsWith(prefix)) {
                return false;
            }
            for (String h : holds) {
                if (!line.contains(h)) {
                    return false;
                }
            }
            return true;
        }
    }

    private final URI metrics;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private String start;
    private String end;

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

    /** Cumulative counts per bucket edge (seconds) of one histogram, summed over its tags (status, outcome). */
    static TreeMap<Double, Double> buckets(String exposition, Series series) {
        if (exposition == null) {
            return null;
        }
        TreeMap<Double, Double> out = new TreeMap<>();
        exposition.lines()
                .filter(series::selects)
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
        TreeMap<Double, Double> answers = delta(buckets(start, Series.ANSWERS), buckets(end, Series.ANSWERS));
        if (answers.getOrDefault(Double.POSITIVE_INFINITY, 0.0) <= 0) {
            out.println("  relay's own time  unknown (no report histogram at " + metrics + ")");
            return;
        }
        out.println("  relay's own time " + line(answers, "answers", "from request read to answer"));
        TreeMap<Double, Double> commits = delta(buckets(start, Series.COMMITS), buckets(end, Series.COMMITS));
        if (commits.getOrDefault(Double.POSITIVE_INFINITY, 0.0) > 0) {
            out.println("    inbox commit   " + line(commits, "reports", "joining the group commit to its commit"));
        }
    }

    /** "p50 ≤ … p90 ≤ … p99 ≤ … (N what, X% within 20 ms; meaning)"; the share is left out without a bucket at the objective. */
    static String line(TreeMap<Double, Double> d, String what, String meaning) {
        double total = d.getOrDefault(Double.POSITIVE_INFINITY, 0.0);
        Double within = d.get(OBJECTIVE_SECONDS);
        String share = within == null ? "no bucket edge at " + ms(OBJECTIVE_SECONDS)
                : String.format(java.util.Locale.ROOT, "%.2f%% within %s", 100 * within / total, ms(OBJECTIVE_SECONDS));
        return String.format(java.util.Locale.ROOT, "p50 ≤ %s  p90 ≤ %s  p99 ≤ %s  (%,.0f %s, %s; %s)",
                ms(quantile(d, 0.50)), ms(quantile(d, 0.90)), ms(quantile(d, 0.99)), total, what, share, meaning);
    }

    private static String ms(double seconds) {
        return Double.isInfinite(seconds) ? "∞" : String.format(java.util.Locale.ROOT, "%.1f ms", seconds * 1000);
    }

    /** The relay's whole exposition; null when it could not be read. */
    private String scrape() {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(10)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? r.body() : null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (java.io.IOException e) {
            return null;
        }
    }
}
