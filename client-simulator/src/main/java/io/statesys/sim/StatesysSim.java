package io.statesys.sim;

import io.statesys.sim.bench.BenchCommand;
import io.statesys.sim.simulate.SimulateCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code statesys-sim}: client simulation and benchmarks against running Statesys services. */
@Command(name = "statesys-sim", mixinStandardHelpOptions = true, version = "statesys-sim 1.0",
        description = "Simulates Configuration Manager clients and benchmarks Statesys.",
        subcommands = {SimulateCommand.class, BenchCommand.class, io.statesys.sim.send.SendCommand.class,
                io.statesys.sim.chaos.ChaosCommand.class, io.statesys.sim.hierarchy.HierarchyCommand.class})
public final class StatesysSim implements Runnable {

    public static void main(String[] args) {
        System.exit(new CommandLine(new StatesysSim()).execute(args));
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
