package io.statesys.sim.bench;

import io.statesys.sim.simulate.Simulation;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Charges the services (and PostgreSQL) the CPU they spent between the start of a run's clock and
 * the drained inbox, so start-up, client registration, the audit and the COPY ceiling are not in
 * the figures; and reads each service's peak RSS at the end.
 */
final class ServiceMeter implements Simulation.Phases {
    /** The burst issue 13 is about: a 175,000-client site's Patch Tuesday. */
    static final long BURST_MESSAGES = 50_000_000L;
    static final String POSTGRES = "postgres";

    private final Map<String, Long> pids;
    private final Map<String, Double> startCpu = new LinkedHashMap<>();
    private final Map<String, Double> endCpu = new LinkedHashMap<>();

    ServiceMeter(Map<String, Long> pids) {
        this.pids = pids;
    }

    @Override
    public void started() {
        read(startCpu);
    }

    @Override
    public void drained() {
        read(endCpu);
    }

    private void read(Map<String, Double> into) {
        pids.forEach((name, pid) -> into.put(name, ProcessCpu.seconds(pid)));
        into.put(POSTGRES, ProcessCpu.postgresSeconds());
    }

    Charge charge(long messages) {
        Map<String, Double> cpu = new LinkedHashMap<>();
        Map<String, Long> rss = new LinkedHashMap<>();
        endCpu.forEach((name, end) -> {
            Double start = startCpu.get(name);
            cpu.put(name, start == null || start < 0 || end < 0 ? -1 : end - start);
            if (!POSTGRES.equals(name)) {
                rss.put(name, ProcessCpu.peakRssMib(pids.get(name)));
            }
        });
        return new Charge(messages, cpu, rss);
    }

    static String burstMinutes(double messagesPerSecond) {
        return messagesPerSecond <= 0 ? "–" : String.format("%.0f min", BURST_MESSAGES / messagesPerSecond / 60);
    }

    record Charge(long messages, Map<String, Double> cpuSeconds, Map<String, Long> peakRssMib) {
        double microsPerMessage(String name) {
            double s = cpuSeconds.getOrDefault(name, -1.0);
            return s < 0 || messages == 0 ? -1 : s * 1e6 / messages;
        }

        void print(PrintStream out, double endToEndRate) {
            if (cpuSeconds.isEmpty()) {
                return;
            }
            out.println("  where the CPU went, from the start of the clock to the drained inbox:");
            double total = 0;
            for (var e : cpuSeconds.entrySet()) {
                long rss = peakRssMib.getOrDefault(e.getKey(), -1L);
                out.printf("    %-26s %7.1f s  %6.1f µs/message%s%n", e.getKey(), e.getValue(), microsPerMessage(e.getKey()),
                        rss >= 0 ? String.format("  peak RSS %d MiB", rss) : "");
                total += Math.max(0, e.getValue());
            }
            double allMicros = messages == 0 ? 0 : total * 1e6 / messages;
            out.printf("    %-26s %7.1f s  %6.1f µs/message%n", "all", total, allMicros);
            out.printf("  a %,d-message burst at this rate: %s (%.1f CPU-hours on these services and PostgreSQL)%n",
                    BURST_MESSAGES, burstMinutes(endToEndRate), total / Math.max(1, messages) * BURST_MESSAGES / 3600);
            if (allMicros > 0) {
                // in the field the clients are elsewhere: this machine's cores would be the services' and
                // PostgreSQL's alone. A bound, not a measurement: it assumes every core busy with this work.
                int cores = Runtime.getRuntime().availableProcessors();
                double bound = cores * 1e6 / allMicros;
                out.printf("  without the load generator: at most %,.0f messages/s on these %d cores (%d × 1e6 / %.1f µs), a %,d-message burst in %s%n",
                        bound, cores, cores, allMicros, BURST_MESSAGES, burstMinutes(bound));
            }
        }

        /** "relay / processor / postgres" µs per message for the benchmarks table. */
        String microsPerMessageColumn() {
            return cpuSeconds.isEmpty() ? "–" : cpuSeconds.keySet().stream().filter(n -> !n.contains("fallback") && !n.contains("resync"))
                    .map(n -> String.format("%.1f", microsPerMessage(n))).collect(Collectors.joining(" / "));
        }

        String peakRssColumn() {
            return peakRssMib.isEmpty() ? "–" : peakRssMib.values().stream().map(String::valueOf).collect(Collectors.joining(" / "));
        }
    }
}
