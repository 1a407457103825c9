package io.statesys.sim.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks that print figures (never tests).",
        subcommands = {EndToEndBench.class, RelayBench.class, DrainBench.class, FspDrainBench.class, ResyncCheckBench.class, VerifyBench.class, ConsoleBench.class, StatusBench.class})
public final class BenchCommand implements Runnable {
    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
