package io.statesys.sim.bench;

import io.statesys.core.report.StateMessage;
import io.statesys.sim.simulate.Scenario;
import io.statesys.sim.simulate.SimulateCommand;
import io.statesys.sim.simulate.Simulation;
import org.postgresql.copy.CopyManager;
import org.postgresql.core.BaseConnection;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.Reader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;

/**
 * The end-to-end benchmark: patch-tuesday through the real relay and processor, audited, then —
 * on the same database in the same run — the raw rate of COPY-ing the same rows into a keyed
 * table, as the ceiling the system is compared against.
 */
@Command(name = "e2e", mixinStandardHelpOptions = true, description = "End-to-end benchmark (./statesys bench runs it on a fresh database).")
public final class EndToEndBench implements Callable<Integer> {
    @Mixin
    SimulateCommand sim;

    @Option(names = "--append", description = "append the figures to this markdown file")
    Path append;

    @Option(names = "--pid", description = "a service to charge CPU to, as name=process id (repeatable): prints its CPU seconds, "
            + "µs per message and peak RSS over the run's clock, with PostgreSQL's (all its processes on this machine)")
    Map<String, Long> pids = new java.util.LinkedHashMap<>();

    @Option(names = "--warmup-clients", defaultValue = "0",
            description = "before the clock: this many other clients (another seed) run the same scenario through the same services, "
                    + "unaudited, so the JIT has compiled the hot paths (default ${DEFAULT-VALUE}: measure from cold)")
    int warmupClients;

    @Option(names = "--services-label", description = "how the services ran (e.g. their JVM options), for the machine column of the appended row")
    String servicesLabel;

    static final String COPY_TABLE = """
            CREATE TABLE copy_bench (
                client_id uuid NOT NULL, serial_number bigint, topic_type integer NOT NULL, topic_id text NOT NULL,
                id_type integer NOT NULL, state_id integer NOT NULL, criticality integer NOT NULL,
                message_time timestamptz NOT NULL, user_params jsonb NOT NULL,
                UNIQUE (client_id, serial_number))""";

    @Override
    public Integer call() throws Exception {
        Simulation.Options o = sim.options();
        if (o.scenario() != Scenario.PATCH_TUESDAY) {
            System.out.println("the end-to-end benchmark runs --scenario patch-tuesday");
            return 2;
        }
        if (warmupClients > 0) {
            // its own clients, no faults, no audit, as fast as taken
            Simulation.Options w = o.toBuilder().clients(warmupClients).faults(0, 0, 0).delayMs(0).seed(o.seed() ^ 0x3a3a3a3aL)
                    .audit(false).spoof(0).rate(0).build();
            Simulation.Summary ws = new Simulation(w, new java.io.PrintStream(java.io.OutputStream.nullOutputStream()), false).run();
            System.out.printf("warm-up: %,d clients, %,d messages at %,.0f messages/s end to end (not measured further)%n",
                    warmupClients, ws.messagesAccepted(), ws.endToEndMessagesPerSecond());
        }
        ServiceMeter meter = new ServiceMeter(pids);
        RelayServerLatency relayLatency = new RelayServerLatency(o.relay());
        ServerActivity server = new ServerActivity(o.jdbc(), o.dbUser(), o.dbPassword());
        Simulation simulation = new Simulation(o, System.out, true).phases(new Simulation.Phases() {
            @Override
            public void started() {
                relayLatency.started(); // before the meter: the scrape and the server's statistics are not the clock's work
                server.started();
                meter.started();
            }

            @Override
            public void drained() {
                meter.drained();
                relayLatency.drained();
                server.drained();
            }
        });
        Simulation.Summary s = simulation.run();
        SimulateCommand.print(s);
        relayLatency.print(System.out);
        server.print(System.out, s.messagesAccepted());
        ServiceMeter.Charge charge = meter.charge(s.messagesAccepted());
        charge.print(System.out, s.endToEndMessagesPerSecond());

        Map<UUID, List<StateMessage>> rows = simulation.arrivals();
        long copied;
        double copySeconds;
        String pgVersion;
        try (Connection c = DriverManager.getConnection(o.jdbc(), o.dbUser(), o.dbPassword()); Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("SHOW server_version")) {
                rs.next();
                pgVersion = rs.getString(1);
            }
            st.execute("DROP TABLE IF EXISTS copy_bench");
            st.execute(COPY_TABLE);
            CopyManager copy = new CopyManager(c.unwrap(BaseConnection.class));
            long t0 = System.nanoTime();
            copied = copy.copyIn("COPY copy_bench FROM STDIN (FORMAT text)", new RowsReader(rows));
            copySeconds = (System.nanoTime() - t0) / 1e9;
            st.execute("DROP TABLE copy_bench");
        }
        double copyRate = copied / copySeconds;
        double ratio = s.endToEndMessagesPerSecond() / copyRate;
        System.out.printf("  COPY ceiling    %,10.0f rows/s (the same %,d rows into a keyed table, same database)%n", copyRate, copied);
        System.out.printf("  ratio           %.2f of the COPY ceiling end to end%n", ratio);

        if (append != null) {
            var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            String machine = String.format("%d cores, %.0f GiB, Java %s, PostgreSQL %s", Runtime.getRuntime().availableProcessors(),
                    os.getTotalMemorySize() / 1073741824.0, System.getProperty("java.version")
                            + (servicesLabel == null ? "" : " (services: " + servicesLabel + ")"), pgVersion);
            String row = String.format("| %s | %s | %,d × %d updates × 3%s | %,.0f | %,.0f | %.1f / %.1f | %,.0f | %.2f | %.0f%% | %s | %s | %s | %s | %s |%n",
                    LocalDate.now(), machine, o.clients(), o.updates(),
                    (o.rate() > 0 ? String.format(", at most %,.0f msg/s", o.rate()) : "")
                            + (warmupClients > 0 ? String.format(", after a %,d-client warm-up", warmupClients) : ""),
                    s.ingestMessagesPerSecond(), s.endToEndMessagesPerSecond(),
                    s.latencyMs().p50(), s.latencyMs().p99(), copyRate, ratio, s.generatorCpuShare() * 100,
                    Boolean.TRUE.equals(s.auditExact()) ? "exact" : "FAILED", String.format("%.0f s", s.endToEndSeconds()),
                    charge.microsPerMessageColumn(), charge.peakRssColumn(), ServiceMeter.burstMinutes(s.endToEndMessagesPerSecond()));
            Files.writeString(append, row, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            System.out.println("  appended to " + append);
        }
        return s.drained() && Boolean.TRUE.equals(s.auditExact()) ? 0 : 1;
    }

    /** The delivered messages as COPY text rows, produced while COPY reads them. */
    private static final class RowsReader extends Reader {
        private final Iterator<Map.Entry<UUID, List<StateMessage>>> clients;
        private Iterator<StateMessage> current;
        private UUID client;
        private final java.util.Set<Long> seen = new java.util.HashSet<>();
        private String pending = "";
        private int pos;

        RowsReader(Map<UUID, List<StateMessage>> rows) {
            this.clients = rows.entrySet().iterator();
        }

        @Override
        public int read(char[] buf, int off, int len) {
            while (pos >= pending.length()) {
                if (!nextRow()) {
                    return -1;
                }
            }
            int n = Math.min(len, pending.length() - pos);
            pending.getChars(pos, pos + n, buf, off);
            pos += n;
            return n;
        }

        private boolean nextRow() {
            while (current == null || !current.hasNext()) {
                if (!clients.hasNext()) {
                    return false;
                }
                Map.Entry<UUID, List<StateMessage>> e = clients.next();
                client = e.getKey();
                current = e.getValue().iterator();
                seen.clear();
            }
            StateMessage m = current.next();
            // a serial-less message (a script result) is never a duplicate: the server counts each one
            if (m.hasSerial() && !seen.add(m.serialNumber())) {
                pending = "";
                pos = 0;
                return true; // a duplicate delivery is not a new row
            }
            pending = client + "\t" + (m.hasSerial() ? m.serialNumber().toString() : "\\N") + "\t" + m.topicType() + "\t" + m.topicId() + "\t" + m.idType() + "\t"
                    + m.stateId() + "\t" + m.criticality() + "\t" + m.messageTime() + "\t" + params(m.userParameters()) + "\n";
            pos = 0;
            return true;
        }

        private static String params(List<String> p) {
            StringBuilder sb = new StringBuilder("[");
            for (int i = 0; i < p.size(); i++) {
                sb.append(i == 0 ? "\"" : ",\"").append(p.get(i).replace("\\", "\\\\\\\\").replace("\"", "\\\\\"")).append('"');
            }
            return sb.append(']').toString();
        }

        @Override
        public void close() throws IOException {
        }
    }
}
