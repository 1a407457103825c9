package io.statesys.sim.simulate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.Callable;

/** {@code statesys-sim simulate}: N realistic clients against running services, with an exact audit at the end. */
@Command(name = "simulate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Simulates Configuration Manager clients against running Statesys services,",
                "prints live progress and a summary, and audits the database at the end (FAILED if not exact)."})
public final class SimulateCommand implements Callable<Integer> {
    @Option(names = "--clients", defaultValue = "1000", description = "simulated clients (default ${DEFAULT-VALUE})")
    int clients;

    @Option(names = "--scenario", defaultValue = "steady", converter = ScenarioConverter.class,
            description = "steady | patch-tuesday | client-deployment (default ${DEFAULT-VALUE})")
    Scenario scenario;

    @Option(names = "--updates", defaultValue = "50", description = "patch-tuesday: updates per client (default ${DEFAULT-VALUE})")
    int updates;

    @Option(names = "--per-report", defaultValue = "50", description = "patch-tuesday: messages per report (default ${DEFAULT-VALUE})")
    int perReport;

    @Option(names = "--interval", defaultValue = "PT15M", description = "steady: send cycle, ISO-8601 (default ${DEFAULT-VALUE}, the client default)")
    Duration interval;

    @Option(names = "--duration", defaultValue = "PT1M", description = "steady: how long to run (default ${DEFAULT-VALUE})")
    Duration duration;

    @Option(names = "--drop", defaultValue = "0", description = "fraction of messages lost before sending (real gaps)")
    double drop;

    @Option(names = "--duplicate", defaultValue = "0", description = "fraction of reports delivered twice")
    double duplicate;

    @Option(names = "--reorder", defaultValue = "0", description = "fraction of reports delivered after the next one")
    double reorder;

    @Option(names = "--delay", defaultValue = "0", description = "milliseconds each client waits before sending")
    long delayMs;

    @Option(names = "--relay", defaultValue = "http://127.0.0.1:8081")
    URI relay;

    @Option(names = "--fsp", defaultValue = "http://127.0.0.1:8082", description = "fallback status point (\"none\" to disable)")
    String fsp;

    @Option(names = "--processor", defaultValue = "http://127.0.0.1:8083")
    URI processor;

    @picocli.CommandLine.Mixin
    io.statesys.sim.DatabaseOptions db;

    @Option(names = "--concurrency", defaultValue = "16", description = "concurrent connections (default ${DEFAULT-VALUE})")
    int concurrency;

    @Option(names = "--seed", defaultValue = "1", description = "random seed: same seed, same clients and faults")
    long seed;

    @Option(names = "--audit", negatable = true, defaultValue = "true", fallbackValue = "true", description = "audit the database at the end (default on; --no-audit to skip)")
    boolean audit;

    @Option(names = "--drain-timeout", defaultValue = "PT10M")
    Duration drainTimeout;

    @Option(names = "--spoof", defaultValue = "0", description = "fraction of sends that also send a report naming another client, "
            + "signed with the wrong key; each must be refused and change nothing")
    double spoof;

    @picocli.CommandLine.Mixin
    io.statesys.sim.EnrolmentOptions enrolment;

    @Option(names = "--rate", defaultValue = "0",
            description = "patch-tuesday: messages per second the clients send at most, all together (default ${DEFAULT-VALUE}: as fast as the relay takes them)")
    double rate;

    @Option(names = "--resend-fraction", defaultValue = "0",
            description = "patch-tuesday: the share of all messages that resend, unchanged, a state the site already holds "
                    + "(full resends of each client's update states after its sequence; 0.9: nine in ten) (default ${DEFAULT-VALUE})")
    double resendFraction;

    @Option(names = "--site-restore", paramLabel = "FILE",
            description = {"the recovery drill: the site's database is restored from a backup during the run (./statesys drill).",
                    "FILE gets restore-point=… and old-site-stopped=… (ISO-8601) from the drill; after the load the clients answer",
                    "resync requests until the site has no gap left, and the audit holds the site to what it kept of their",
                    "deliveries and to every latest state the clients hold"})
    java.nio.file.Path siteRestore;

    @Option(names = "--settle-timeout", defaultValue = "PT10M",
            description = "--site-restore: how long the resync round may take after the load (default ${DEFAULT-VALUE})")
    Duration settleTimeout;

    @Option(names = "--json", description = "print the summary as JSON only")
    boolean json;

    public Simulation.Options options() {
        URI fspUri = fsp == null || fsp.equalsIgnoreCase("none") ? null : URI.create(fsp);
        String token = enrolment.token();
        return Simulation.Options.builder().clients(clients).scenario(scenario).patchTuesday(updates, perReport).steady(interval, duration)
                .faults(drop, duplicate, reorder).delayMs(delayMs).relay(relay).fsp(fspUri).processor(processor).seed(seed)
                .concurrency(concurrency).database(db.jdbc, db.user, db.password).audit(audit).drainTimeout(drainTimeout).spoof(spoof)
                .enrolmentToken(token).rate(rate).resendFraction(resendFraction).build();
    }

    @Override
    public Integer call() throws Exception {
        Simulation sim = new Simulation(options(), System.out, !json);
        if (siteRestore != null) {
            sim.siteRestore(new SiteRestore(siteRestore, settleTimeout));
        }
        Simulation.Summary s = sim.run();
        if (json) {
            System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(s));
        } else {
            print(s);
        }
        return s.drained() && !Boolean.FALSE.equals(s.auditExact()) && s.defects() == 0 ? 0 : 1;
    }

    public static void print(Simulation.Summary s) {
        System.out.printf("%n%s: %,d clients, %,d messages sent, %,d accepted in %,d reports (%,d lost on purpose, %,d via the FSP)%n",
                s.scenario(), s.clients(), s.messagesSent(), s.messagesAccepted(), s.reportsAccepted(), s.messagesLost(), s.messagesViaFsp());
        System.out.printf("  ingest          %,10.0f messages/s over %.1f s%n", s.ingestMessagesPerSecond(), s.ingestSeconds());
        System.out.printf("  end to end      %,10.0f messages/s (last message in the database after %.1f s)%n",
                s.endToEndMessagesPerSecond(), s.endToEndSeconds());
        System.out.printf("  latency         p50 %.1f ms  p90 %.1f ms  p99 %.1f ms  max %.1f ms%n",
                s.latencyMs().p50(), s.latencyMs().p90(), s.latencyMs().p99(), s.latencyMs().max());
        System.out.printf("  capacity        ≈ %,d clients at a 15-minute cycle (one report per client per cycle)%n", s.clientsAt15MinuteCycle());
        System.out.printf("  generator       %.0f%% of the machine's CPU%n", s.generatorCpuShare() * 100);
        System.out.printf("  serial-less     %,d accepted messages had no SerialNumber (script results), audited with the rest%n",
                s.messagesWithoutSerial());
        System.out.printf("  identity        %,d clients registered (before the clock); %,d spoofed reports sent, %,d refused%n",
                s.clientsRegistered(), s.spoofsSent(), s.spoofsRefused());
        System.out.printf("  answers         %s (201: the registrations; -1: unreachable, nothing sent; -3: sent, no answer)%n", s.answers());
        if (s.defects() > 0) {
            System.out.printf("  FAILED: %,d answers were 5xx other than 503 (a server error is never a right answer)%n", s.defects());
        }
        if (!s.drained()) {
            System.out.println("  FAILED: the inbox did not drain in time");
        } else if (s.auditExact() == null) {
            System.out.println("  audit           skipped");
        } else if (s.auditExact()) {
            System.out.printf("  audit           exact: every client's statistics, missing ranges and latest states match what was delivered%n");
        } else {
            System.out.printf("  audit           FAILED: %,d differences, e.g.%n", s.auditProblems());
            s.auditSample().forEach(p -> System.out.println("    " + p));
        }
        // one line for scripts (./statesys chaos reads it)
        System.out.printf("result sent=%d accepted=%d processed=%s via-fsp=%d 5xx=%d defects=%d unanswered=%d drained=%s audit=%s%n",
                s.messagesSent(), s.messagesAccepted(), s.messagesProcessed() == null ? "-" : s.messagesProcessed(), s.messagesViaFsp(),
                s.serverErrors(), s.defects(), s.unanswered(), s.drained(),
                s.auditExact() == null ? "skipped" : s.auditExact() ? "exact" : "FAILED");
    }

    /** Accepts patch-tuesday as well as PATCH_TUESDAY. */
    public static final class ScenarioConverter implements picocli.CommandLine.ITypeConverter<Scenario> {
        @Override
        public Scenario convert(String value) {
            return Scenario.valueOf(value.trim().toUpperCase().replace('-', '_'));
        }
    }
}
