package io.statesys.sim.hierarchy;

import io.statesys.sim.simulate.EnrolmentTokenRequest;
import io.statesys.sim.simulate.Scenario;
import io.statesys.sim.simulate.SimulateCommand;
import io.statesys.sim.simulate.Simulation;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@code statesys-sim hierarchy}: clients against several primary sites at once (docs/operating.md, "Site
 * hierarchy"), each primary audited exact as {@code simulate} does, then the central site audited
 * against them: it must hold exactly the union of what its children processed.
 */
@Command(name = "hierarchy", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Simulates clients against several primary sites at once, audits each primary,",
                "then checks that the central site holds exactly the union of their processed data."})
public final class HierarchyCommand implements Callable<Integer> {
    /** One primary site and its services. */
    static final class Primary {
        @Option(names = "--site", required = true, description = "a primary site's code; repeat the group per primary")
        String code;

        @Option(names = "--relay", required = true)
        URI relay;

        @Option(names = "--processor", required = true)
        URI processor;

        @Option(names = "--resync", description = "its resync service, to make an enrolment token with --admin-token")
        URI resync;

        @Option(names = "--jdbc", required = true, description = "its database")
        String jdbc;
    }

    @ArgGroup(exclusive = false, multiplicity = "1..*")
    List<Primary> primaries = new ArrayList<>();

    @Option(names = "--central-jdbc", required = true, description = "the central (parent) site's database")
    String centralJdbc;

    @Option(names = "--db-user", defaultValue = "postgres")
    String user;

    @Option(names = "--db-password", defaultValue = "postgres")
    String password;

    @Option(names = "--admin-token", description = "admin token of the primaries: an enrolment token is made at each one's --resync")
    String adminToken;

    @Option(names = "--clients", defaultValue = "500", description = "simulated clients per primary (default ${DEFAULT-VALUE})")
    int clients;

    @Option(names = "--scenario", defaultValue = "patch-tuesday", converter = SimulateCommand.ScenarioConverter.class,
            description = "steady | patch-tuesday | client-deployment (default ${DEFAULT-VALUE})")
    Scenario scenario;

    @Option(names = "--updates", defaultValue = "20")
    int updates;

    @Option(names = "--per-report", defaultValue = "10")
    int perReport;

    @Option(names = "--interval", defaultValue = "PT2S", description = "steady: send cycle (default ${DEFAULT-VALUE})")
    Duration interval;

    @Option(names = "--duration", defaultValue = "PT30S", description = "steady: how long (default ${DEFAULT-VALUE})")
    Duration duration;

    @Option(names = "--drop", defaultValue = "0.02")
    double drop;

    @Option(names = "--duplicate", defaultValue = "0.02")
    double duplicate;

    @Option(names = "--reorder", defaultValue = "0.02")
    double reorder;

    @Option(names = "--concurrency", defaultValue = "8", description = "connections per primary")
    int concurrency;

    @Option(names = "--seed", defaultValue = "1", description = "random seed (each primary adds its position)")
    long seed;

    @Option(names = "--catch-up-timeout", defaultValue = "PT2M", description = "how long the central site may take to hold it all")
    Duration catchUp;

    @Override
    public Integer call() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(primaries.size());
        List<Future<Simulation.Summary>> runs = new ArrayList<>();
        for (int i = 0; i < primaries.size(); i++) {
            Primary p = primaries.get(i);
            String token = adminToken == null || p.resync == null ? null : EnrolmentTokenRequest.create(p.resync, adminToken);
            Simulation.Options o = Simulation.Options.builder().clients(clients).scenario(scenario).patchTuesday(updates, perReport)
                    .steady(interval, duration).faults(drop, duplicate, reorder).relay(p.relay).fsp(null).processor(p.processor)
                    .seed(seed + i).concurrency(concurrency).database(p.jdbc, user, password).drainTimeout(Duration.ofMinutes(10))
                    .enrolmentToken(token).build();
            runs.add(pool.submit(() -> new Simulation(o, new PrintStream(PrintStream.nullOutputStream()), false).run()));
        }
        boolean ok = true;
        List<HierarchyAudit.Child> children = new ArrayList<>();
        for (int i = 0; i < primaries.size(); i++) {
            Simulation.Summary s = runs.get(i).get();
            Primary p = primaries.get(i);
            children.add(new HierarchyAudit.Child(p.code, p.jdbc));
            boolean exact = s.drained() && Boolean.TRUE.equals(s.auditExact()) && s.defects() == 0;
            ok &= exact;
            System.out.printf("%s: %,d clients, %,d messages accepted (%,d lost on purpose), %,.0f msg/s end to end, audit %s%n",
                    p.code, s.clients(), s.messagesAccepted(), s.messagesLost(), s.endToEndMessagesPerSecond(),
                    exact ? "exact" : "FAILED " + s.auditSample());
        }
        pool.shutdown();
        long start = System.nanoTime();
        HierarchyAudit.Result central = HierarchyAudit.await(centralJdbc, children, user, password, catchUp);
        double seconds = (System.nanoTime() - start) / 1e9;
        if (central.exact()) {
            System.out.printf("central: exact — holds every row of %s (%s rows compared, all of each site's, not only this run's), "
                            + "confirmed %.1f s after the last primary drained (comparing included)%n",
                    children.stream().map(HierarchyAudit.Child::siteCode).toList(), central.rows(), seconds);
        } else {
            ok = false;
            System.out.printf("central: FAILED after %s:%n", catchUp);
            central.differences().forEach(d -> System.out.println("  " + d));
        }
        System.out.printf("result primaries=%d central=%s%n", primaries.size(), central.exact() ? "exact" : "FAILED");
        return ok ? 0 : 1;
    }
}
