package io.statesys.sim.simulate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.statesys.core.report.StateMessage;
import io.statesys.sim.bench.SyntheticReports;
import io.statesys.sim.client.ClientAgent;
import io.statesys.sim.client.ClientStateStore;
import io.statesys.sim.client.Faults;
import io.statesys.sim.client.SendResult;
import org.HdrHistogram.Histogram;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** Runs a scenario with N client models against running services, then waits for the drain and audits. */
public final class Simulation {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A run's settings; made with {@link #builder()} (the defaults are {@code statesys-sim simulate}'s). */
    public record Options(int clients, Scenario scenario, int updates, int perReport, Duration interval, Duration duration,
                          double drop, double duplicate, double reorder, long delayMs, URI relay, URI fsp, URI processor,
                          long seed, int concurrency, String jdbc, String dbUser, String dbPassword, boolean audit,
                          Duration drainTimeout, double spoof, String enrolmentToken, double rate, double resendFraction) {
        public static Builder builder() {
            return new Builder();
        }

        /** These settings, to change some of them. */
        public Builder toBuilder() {
            Builder b = new Builder();
            b.clients = clients;
            b.scenario = scenario;
            b.updates = updates;
            b.perReport = perReport;
            b.interval = interval;
            b.duration = duration;
            b.drop = drop;
            b.duplicate = duplicate;
            b.reorder = reorder;
            b.delayMs = delayMs;
            b.relay = relay;
            b.fsp = fsp;
            b.processor = processor;
            b.seed = seed;
            b.concurrency = concurrency;
            b.jdbc = jdbc;
            b.dbUser = dbUser;
            b.dbPassword = dbPassword;
            b.audit = audit;
            b.drainTimeout = drainTimeout;
            b.spoof = spoof;
            b.enrolmentToken = enrolmentToken;
            b.rate = rate;
            b.resendFraction = resendFraction;
            return b;
        }

        /** Named settings in place of the record's 23 positional ones. */
        public static final class Builder {
            private int clients = 1000;
            private Scenario scenario = Scenario.STEADY;
            private int updates = 50;
            private int perReport = 50;
            private Duration interval = Duration.ofMinutes(15);
            private Duration duration = Duration.ofMinutes(1);
            private double drop;
            private double duplicate;
            private double reorder;
            private long delayMs;
            private URI relay = URI.create("http://127.0.0.1:8081");
            private URI fsp = URI.create("http://127.0.0.1:8082");
            private URI processor = URI.create("http://127.0.0.1:8083");
            private long seed = 1;
            private int concurrency = 16;
            private String jdbc;
            private String dbUser;
            private String dbPassword;
            private boolean audit = true;
            private Duration drainTimeout = Duration.ofMinutes(10);
            private double spoof;
            private String enrolmentToken;
            private double rate;
            private double resendFraction;

            public Builder clients(int v) { clients = v; return this; }
            public Builder scenario(Scenario v) { scenario = v; return this; }
            /** Patch Tuesday: updates per client and messages per report. */
            public Builder patchTuesday(int updatesPerClient, int messagesPerReport) { updates = updatesPerClient; perReport = messagesPerReport; return this; }
            /** Steady: the send cycle and how long to run. */
            public Builder steady(Duration cycle, Duration runFor) { interval = cycle; duration = runFor; return this; }
            /** Network faults: fractions of messages lost, of reports delivered twice, of reports held behind the next. */
            public Builder faults(double lost, double duplicated, double reordered) { drop = lost; duplicate = duplicated; reorder = reordered; return this; }
            public Builder delayMs(long v) { delayMs = v; return this; }
            public Builder relay(URI v) { relay = v; return this; }
            /** The fallback status point; null: none. */
            public Builder fsp(URI v) { fsp = v; return this; }
            public Builder processor(URI v) { processor = v; return this; }
            public Builder seed(long v) { seed = v; return this; }
            public Builder concurrency(int v) { concurrency = v; return this; }
            /** The site database the audit reads. */
            public Builder database(String jdbcUrl, String user, String password) { jdbc = jdbcUrl; dbUser = user; dbPassword = password; return this; }
            public Builder audit(boolean v) { audit = v; return this; }
            public Builder drainTimeout(Duration v) { drainTimeout = v; return this; }
            public Builder spoof(double v) { spoof = v; return this; }
            public Builder enrolmentToken(String v) { enrolmentToken = v; return this; }
            /** Patch Tuesday: messages per second all clients send at most (0: as fast as taken). */
            public Builder rate(double v) { rate = v; return this; }
            /** Patch Tuesday: the share of all messages that resend a state the site already holds (0 ≤ v < 1). */
            public Builder resendFraction(double v) {
                if (v < 0 || v >= 1) {
                    throw new IllegalArgumentException("--resend-fraction must be at least 0 and below 1, not " + v);
                }
                resendFraction = v;
                return this;
            }

            public Options build() {
                return new Options(clients, scenario, updates, perReport, interval, duration, drop, duplicate, reorder, delayMs, relay, fsp,
                        processor, seed, concurrency, jdbc, dbUser, dbPassword, audit, drainTimeout, spoof, enrolmentToken, rate, resendFraction);
            }
        }
    }

    /** What a benchmark wants to know about the run's clock: when it started, and when the inbox was empty. */
    public interface Phases {
        void started();

        void drained();
    }

    private Phases phases = new Phases() {
        @Override
        public void started() {
        }

        @Override
        public void drained() {
        }
    };

    private SiteRestore siteRestore;

    /**
     * The site is restored from a backup during this run (the recovery drill): after the load, the
     * clients keep answering resync requests until the site is whole again, and the audit holds the
     * site to what it kept of their deliveries plus everything they hold.
     */
    public Simulation siteRestore(SiteRestore restore) {
        this.siteRestore = restore;
        return this;
    }

    /** Called at the start of the clock (after registration) and once the inbox is drained. */
    public Simulation phases(Phases phases) {
        this.phases = phases;
        return this;
    }

    public record Latency(double p50, double p90, double p99, double max) {
    }

    public record Summary(String scenario, int clients, long messagesSent, long messagesAccepted, long reportsAccepted,
                          long messagesLost, long messagesViaFsp, double ingestSeconds, double ingestMessagesPerSecond,
                          double endToEndSeconds, double endToEndMessagesPerSecond, Latency latencyMs,
                          long clientsAt15MinuteCycle, double generatorCpuShare, boolean drained,
                          Boolean auditExact, long auditProblems, List<String> auditSample,
                          long clientsRegistered, long spoofsSent, long spoofsRefused, long messagesWithoutSerial,
                          Long messagesProcessed, java.util.SortedMap<Integer, Long> answers) {
        /** Answers 500–599: 503 is the contract's "try again later" during an outage. */
        public long serverErrors() {
            return answers.entrySet().stream().filter(e -> e.getKey() >= 500 && e.getKey() < 600).mapToLong(Map.Entry::getValue).sum();
        }

        /** Answers 500 and the other 5xx but 503: never right, whatever the fault. */
        public long defects() {
            return answers.entrySet().stream().filter(e -> e.getKey() >= 500 && e.getKey() < 600 && e.getKey() != 503)
                    .mapToLong(Map.Entry::getValue).sum();
        }

        /** Requests that got no answer: nothing sent (-1), or sent and no answer came (-3). */
        public long unanswered() {
            return answers.getOrDefault(-1, 0L) + answers.getOrDefault(-3, 0L);
        }
    }

    private final Options o;
    private final PrintStream out;
    private final boolean live;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    private final AuditLedger ledger = new AuditLedger();
    private final AtomicLong sent = new AtomicLong();
    private final List<ClientAgent> agents = new ArrayList<>();
    /** All latencies; the progress line reads the recorder's intervals and adds them here. */
    private final Histogram total = new Histogram(3_600_000_000L, 3);

    public Simulation(Options options, PrintStream out, boolean live) {
        this.o = options;
        this.out = out;
        this.live = live;
    }

    /** Every accepted delivery, per client, in the order sent (after {@link #run}). */
    public Map<UUID, List<StateMessage>> arrivals() {
        return ledger.arrivals;
    }

    public Summary run() throws Exception {
        Random seeds = new Random(o.seed());
        for (int i = 0; i < o.clients(); i++) {
            UUID id = new UUID(seeds.nextLong(), seeds.nextLong());
            ClientAgent a = new ClientAgent(id, String.format("WKS-%05d", i), ClientStateStore.inMemory(), o.relay(), o.fsp(), http, Clock.systemUTC());
            a.faults(new Faults(o.drop(), o.duplicate(), o.reorder(), o.delayMs(), o.spoof(), new Random(seeds.nextLong())));
            a.ledger(ledger);
            agents.add(a);
        }
        Random victims = new Random(o.seed() ^ 0x5b00f);
        for (ClientAgent a : agents) {
            a.spoofVictims(() -> {
                synchronized (victims) {
                    return agents.get(victims.nextInt(agents.size())).id();
                }
            });
        }
        if (o.scenario() != Scenario.CLIENT_DEPLOYMENT) {
            registerAll(); // before the clock starts: a client registers once in its life
        }
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        phases.started();
        long cpu0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        ScheduledExecutorService progress = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "progress"));
        AtomicLong lastAccepted = new AtomicLong();
        AtomicLong lastSent = new AtomicLong();
        progress.scheduleAtFixedRate(() -> progress(t0, lastSent, lastAccepted), 1, 1, TimeUnit.SECONDS);
        try {
            switch (o.scenario()) {
                case PATCH_TUESDAY -> patchTuesday();
                case STEADY -> steady();
                case CLIENT_DEPLOYMENT -> clientDeployment();
            }
            for (ClientAgent a : agents) {
                synchronized (a) {
                    a.flushHeld();
                }
            }
        } finally {
            progress.shutdownNow();
        }
        double ingestSeconds = (System.nanoTime() - t0) / 1e9;
        double cpuShare = (os.getProcessCpuTime() - cpu0) / 1e9 / (ingestSeconds * Runtime.getRuntime().availableProcessors());
        Histogram latency;
        synchronized (total) {
            total.add(ledger.latency.getIntervalHistogram());
            latency = total.copy();
        }
        boolean whole = siteRestore == null || resyncUntilWhole();
        boolean drained = awaitDrain() && whole;
        double endToEnd = (System.nanoTime() - t0) / 1e9;
        phases.drained();
        Audit.Result audit = null;
        if (o.audit() && drained) {
            if (siteRestore == null) {
                audit = Audit.run(o.jdbc(), o.dbUser(), o.dbPassword(), ledger);
            } else {
                Map<UUID, List<StateMessage>> caches = new java.util.HashMap<>();
                for (ClientAgent a : agents) {
                    caches.put(a.id(), a.cachedMessages());
                }
                audit = Audit.run(o.jdbc(), o.dbUser(), o.dbPassword(), ledger, siteRestore.read(), caches);
            }
        }
        long accepted = ledger.acceptedMessages.get();
        long reports = ledger.acceptedReports.get();
        return new Summary(o.scenario().name().toLowerCase().replace('_', '-'), o.clients(), sent.get(), accepted, reports,
                ledger.lostMessages.get(), ledger.viaFsp.get(), ingestSeconds, accepted / ingestSeconds, endToEnd,
                accepted / endToEnd,
                new Latency(latency.getValueAtPercentile(50) / 1e3, latency.getValueAtPercentile(90) / 1e3,
                        latency.getValueAtPercentile(99) / 1e3, latency.getMaxValue() / 1e3),
                Math.round(reports / ingestSeconds * 900), cpuShare, drained,
                audit == null ? null : audit.exact(), audit == null ? 0 : audit.problemsFound(),
                audit == null ? List.of() : audit.problems(),
                agents.stream().filter(ClientAgent::registered).count(), ledger.spoofsSent.get(), ledger.spoofsRefused.get(), ledger.serialLess.get(),
                audit == null ? null : audit.processed(), ledger.answers());
    }

    /** Every client registers its key (with the enrolment token, if one was given). */
    private void registerAll() throws Exception {
        ConcurrentLinkedQueue<ClientAgent> todo = new ConcurrentLinkedQueue<>(agents);
        long t0 = System.nanoTime();
        runWorkers(() -> {
            ClientAgent a;
            while ((a = todo.poll()) != null) {
                synchronized (a) {
                    register(a);
                }
            }
        });
        // said here because none of it is in the figures that follow: the clock starts after it
        double seconds = (System.nanoTime() - t0) / 1e9;
        long registered = agents.stream().filter(ClientAgent::registered).count();
        System.out.printf("registration: %,d clients registered in %.1f s (%,.0f/s), before the clock%n",
                registered, seconds, registered / Math.max(seconds, 1e-3));
    }

    private void register(ClientAgent a) {
        for (int tries = 0; tries < 20 && !a.register(o.enrolmentToken()); tries++) {
            sleep(Math.min(2000, 50L << Math.min(tries, 5)));
        }
    }

    private void patchTuesday() throws Exception {
        // every client: K detections (500: required), then per update 402 installing → installed; then,
        // with a resend fraction, full resends of its K update states unchanged (a resync's resend, a
        // client group misconfigured to report every cycle): each topic once per resend, so that a
        // resend's repeats reach the site in other reports than the states they repeat
        int sequence = o.updates() * 3;
        int resends = o.resendFraction() <= 0 ? 0 : (int) Math.round(sequence * o.resendFraction() / (1 - o.resendFraction()) / o.updates());
        int perClient = sequence + resends * o.updates();
        int batches = (perClient + o.perReport() - 1) / o.perReport();
        Pacer pacer = o.rate() > 0 ? new Pacer(o.rate()) : null;
        ConcurrentLinkedQueue<int[]> tasks = new ConcurrentLinkedQueue<>();
        for (int b = 0; b < batches; b++) {
            for (int c = 0; c < agents.size(); c++) {
                tasks.add(new int[] {c, b});
            }
        }
        runWorkers(() -> {
            int[] t;
            while ((t = tasks.poll()) != null) {
                ClientAgent a = agents.get(t[0]);
                synchronized (a) {
                    int first = t[1] * o.perReport();
                    int last = Math.min(perClient, (t[1] + 1) * o.perReport());
                    for (int i = first; i < last; i++) {
                        int update = i < o.updates() ? i : (i - o.updates()) / 2;
                        if (i >= sequence) {
                            // the state the sequence ended with: 402 installed
                            a.record(402, SyntheticReports.updateId((i - sequence) % o.updates()), 3, 10, List.of());
                        } else if (i < o.updates()) {
                            a.record(500, SyntheticReports.updateId(update), 3, 2, List.of("102"));
                        } else {
                            a.record(402, SyntheticReports.updateId(update), 3, (i - o.updates()) % 2 == 0 ? 8 : 10, List.of());
                        }
                    }
                    if (t[1] == batches - 1) {
                        // the admin ran a script on every client during the rollout: a result without serial number
                        a.recordScriptResult(TopicMix.script(0), 1, TopicMix.scriptOutput(new Random(a.id().getLeastSignificantBits())));
                    }
                    if (pacer != null) {
                        pacer.acquire(last - first);
                    }
                    sendUntilTaken(a);
                }
            }
        });
    }

    private void steady() throws Exception {
        long end = System.nanoTime() + o.duration().toNanos();
        long intervalMs = o.interval().toMillis();
        ScheduledExecutorService pool = Executors.newScheduledThreadPool(o.concurrency(), r -> daemon(r, "client"));
        Random r = new Random(o.seed() ^ 0x5eed);
        for (ClientAgent a : agents) {
            long first = (long) (r.nextDouble() * intervalMs);
            Random own = new Random(r.nextLong());
            pool.schedule(new Runnable() {
                @Override
                public void run() {
                    if (System.nanoTime() >= end) {
                        return;
                    }
                    synchronized (a) {
                        int changes = 1 + own.nextInt(5);
                        for (int i = 0; i < changes; i++) {
                            TopicMix.Change c = TopicMix.ordinary(own);
                            a.record(c.topicType(), c.topicId(), c.idType(), c.stateId(), c.params());
                        }
                        if (own.nextInt(20) == 0) {
                            // now and then an admin runs a script: its result comes without a serial number
                            a.recordScriptResult(TopicMix.script(own.nextInt(5)), 1, TopicMix.scriptOutput(own));
                        }
                        sendUntilTaken(a);
                    }
                    pool.schedule(this, (long) (intervalMs * (0.8 + 0.4 * own.nextDouble())), TimeUnit.MILLISECONDS);
                }
            }, first, TimeUnit.MILLISECONDS);
        }
        Thread.sleep(o.duration().toMillis());
        pool.shutdown();
        pool.awaitTermination(1, TimeUnit.MINUTES);
    }

    private void clientDeployment() throws Exception {
        ConcurrentLinkedQueue<ClientAgent> todo = new ConcurrentLinkedQueue<>(agents);
        runWorkers(() -> {
            ClientAgent a;
            while ((a = todo.poll()) != null) {
                synchronized (a) {
                    for (int state : new int[] {100, 400, 500, 700}) {
                        a.record(800, "client-deployment", 0, state, List.of());
                    }
                    sent.addAndGet(a.unsentCount());
                    // the client is being installed: it has no registered key yet, and sends unsigned to the FSP
                    for (int tries = 0; tries < 50 && a.sendToFsp().outcome() == SendResult.Outcome.DEFERRED; tries++) {
                        sleep(200);
                    }
                    // installed: it registers, and signs everything from now on
                    register(a);
                    TopicMix.Change c = TopicMix.ordinary(new Random(a.id().getLeastSignificantBits()));
                    a.record(c.topicType(), c.topicId(), c.idType(), c.stateId(), c.params());
                    sendUntilTaken(a);
                }
            }
        });
    }

    /**
     * After a restore: every client makes its next report, then sends what it still holds and
     * answers its resync request, round after round, until the site has no gap and no outstanding request for any of them and the inbox
     * is empty — or the settle timeout passes (then the run fails). Prints the resync round's figures.
     */
    private boolean resyncUntilWhole() throws Exception {
        long t0 = System.nanoTime();
        long deadline = t0 + siteRestore.settleTimeout().toNanos();
        UUID[] ids = agents.stream().map(ClientAgent::id).toArray(UUID[]::new);
        // every client's next cycle, as real clients keep reporting: a client whose last reports went
        // to the site after the restore point shows the site its gap only with its next serial
        ConcurrentLinkedQueue<ClientAgent> next = new ConcurrentLinkedQueue<>(agents);
        runWorkers(() -> {
            ClientAgent a;
            while ((a = next.poll()) != null) {
                synchronized (a) {
                    TopicMix.Change c = TopicMix.ordinary(new Random(a.id().getMostSignificantBits() ^ a.lastSerial()));
                    a.record(c.topicType(), c.topicId(), c.idType(), c.stateId(), c.params());
                    sendUntilTaken(a);
                }
            }
        });
        int rounds = 0;
        long[] left = {-1, -1};
        while (System.nanoTime() < deadline) {
            rounds++;
            ConcurrentLinkedQueue<ClientAgent> todo = new ConcurrentLinkedQueue<>(agents);
            runWorkers(() -> {
                ClientAgent a;
                while ((a = todo.poll()) != null) {
                    synchronized (a) {
                        if (a.unsentCount() > 0) {
                            sendUntilTaken(a);
                        }
                        a.pollPolicy();
                    }
                }
            });
            left = gapsAndOutstanding(ids);
            if (left[0] == 0 && left[1] == 0 && awaitDrain()) {
                left = gapsAndOutstanding(ids); // a completion that was still in the inbox
                if (left[0] == 0 && left[1] == 0) {
                    break;
                }
            }
            sleep(2000);
        }
        boolean whole = left[0] == 0 && left[1] == 0;
        long[] requests = resyncRequests(ids);
        long resynced = agents.stream().filter(a -> a.resyncs() > 0).count();
        long reregistered = agents.stream().filter(a -> a.reregistrations() > 0).count();
        System.out.printf("resync round: %s %.1f s after the load ended (%d rounds); %,d resync requests for %,d clients (%,d re-issues), "
                        + "%,d clients resent their cache, %,d registered their key again%n",
                whole ? "whole" : "NOT whole (" + left[0] + " clients with gaps, " + left[1] + " requests outstanding)",
                (System.nanoTime() - t0) / 1e9, rounds, requests[0], requests[1], requests[2], resynced, reregistered);
        return whole;
    }

    /** Of these clients: how many have a missing range, how many an outstanding resync request. */
    private long[] gapsAndOutstanding(UUID[] ids) throws Exception {
        return countsFor(GAPS_AND_OUTSTANDING, ids);
    }

    /** One row of counts from a statement whose every parameter is this array of client ids. */
    private long[] countsFor(String sql, UUID[] ids) throws Exception {
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(o.jdbc(), o.dbUser(), o.dbPassword());
             java.sql.PreparedStatement ps = c.prepareStatement(sql)) {
            java.sql.Array array = c.createArrayOf("uuid", ids);
            for (int i = 1; i <= ps.getParameterMetaData().getParameterCount(); i++) {
                ps.setArray(i, array);
            }
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                rs.next();
                long[] counts = new long[rs.getMetaData().getColumnCount()];
                for (int i = 0; i < counts.length; i++) {
                    counts[i] = rs.getLong(i + 1);
                }
                return counts;
            }
        }
    }

    /**
     * Clients with a gap, or first heard from after the restore without starting at serial 1 and not
     * yet asked to resync (the resync check asks them: a loss before their first message shows no
     * gap); and outstanding requests.
     */
    static final String GAPS_AND_OUTSTANDING = """
            SELECT (SELECT count(DISTINCT client_id) FROM missing_range WHERE client_id = ANY(?::uuid[]))
                   + (SELECT count(*) FROM client_message_stats s
                      WHERE s.client_id = ANY(?::uuid[]) AND s.lowest_serial > 1 AND s.last_resync_issued_time IS NULL
                        AND s.first_seen >= (SELECT max(restored_at) FROM site_restore)),
                   (SELECT count(*) FROM resync_request WHERE client_id = ANY(?::uuid[]) AND completed_at IS NULL)""";

    static final String RESYNC_REQUESTS = """
            SELECT count(*), count(DISTINCT client_id), coalesce(sum(reissue_count), 0)
            FROM resync_request WHERE client_id = ANY(?::uuid[])""";

    /** Resync requests these clients were sent: requests, clients, re-issues. */
    private long[] resyncRequests(UUID[] ids) throws Exception {
        return countsFor(RESYNC_REQUESTS, ids);
    }

    private void sendUntilTaken(ClientAgent a) {
        sent.addAndGet(a.unsentCount());
        for (int tries = 0; tries < 100; tries++) {
            if (a.send().outcome() != SendResult.Outcome.DEFERRED) {
                return;
            }
            sleep(Math.min(2000, 50L << Math.min(tries, 5)));
        }
    }

    private void runWorkers(Runnable work) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(o.concurrency(), r -> daemon(r, "client"));
        List<Future<?>> fs = new ArrayList<>();
        for (int i = 0; i < o.concurrency(); i++) {
            fs.add(pool.submit(work));
        }
        for (Future<?> f : fs) {
            f.get();
        }
        pool.shutdown();
    }

    private boolean awaitDrain() {
        long deadline = System.nanoTime() + o.drainTimeout().toNanos();
        while (System.nanoTime() < deadline) {
            // the FSP first: once its queue is empty, all it took is in the inbox (it deletes only after the relay's commit)
            JsonNode f = o.fsp() == null ? null : get(URI.create(o.fsp() + "/api/v1/fsp/status"));
            boolean fspEmpty = o.fsp() == null || (f != null && f.path("queued").asLong() == 0);
            JsonNode s = get(URI.create(o.processor() + "/api/v1/status"));
            if (s != null && s.path("inbox").path("reports").asLong() == 0 && fspEmpty) {
                return true;
            }
            // the status reads the whole inbox: polled often, the probe would load what the bench measures
            sleep(250);
        }
        return false;
    }

    private void progress(long t0, AtomicLong lastSent, AtomicLong lastAccepted) {
        long s = sent.get();
        long a = ledger.acceptedMessages.get();
        Histogram h = ledger.latency.getIntervalHistogram();
        synchronized (total) {
            total.add(h);
        }
        String inbox = inboxEvery5s();
        String line = String.format("%5.0fs  sent %,8d/s  accepted %,8d/s  p50 %6.1f ms  p99 %6.1f ms  inbox %s messages  (total accepted %,d)",
                (System.nanoTime() - t0) / 1e9, s - lastSent.getAndSet(s), a - lastAccepted.getAndSet(a),
                h.getTotalCount() == 0 ? 0.0 : h.getValueAtPercentile(50) / 1e3, h.getTotalCount() == 0 ? 0.0 : h.getValueAtPercentile(99) / 1e3,
                inbox, a);
        if (live) {
            out.println(line);
        }
    }

    private long inboxReadAt = Long.MIN_VALUE / 2;
    private String inbox = "?";

    /**
     * The inbox depth for the progress line, asked of the processor every 5 s only: its status
     * reads the whole inbox (dead rows included), which at one call a second was a tenth of
     * PostgreSQL's CPU in the end-to-end bench.
     */
    private String inboxEvery5s() {
        long now = System.nanoTime();
        if (now - inboxReadAt >= 5_000_000_000L) {
            inboxReadAt = now;
            JsonNode status = get(URI.create(o.processor() + "/api/v1/status"));
            inbox = status == null ? "?" : String.format("%,d", status.path("inbox").path("messages").asLong());
        }
        return inbox;
    }

    private JsonNode get(URI uri) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? JSON.readTree(r.body()) : null;
        } catch (Exception e) {
            return null;
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
