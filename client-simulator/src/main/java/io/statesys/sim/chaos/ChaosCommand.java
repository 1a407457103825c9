package io.statesys.sim.chaos;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code statesys-sim chaos …}: the faults {@code ./statesys chaos} injects that need more than a
 * shell (a flood of bad reports, every free database connection held). The scenarios themselves,
 * and the services they start and kill, are in {@code scripts/chaos.sh}.
 */
@Command(name = "chaos", mixinStandardHelpOptions = true,
        description = "Fault injection helpers for ./statesys chaos (see docs/operating.md, \"Operating Statesys\").",
        subcommands = {FloodCommand.class, HoldConnectionsCommand.class})
public final class ChaosCommand implements Runnable {
    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
