package io.statesys.sim.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time (user + system) of another process on this machine, from {@code /proc/PID/stat}: what a
 * benchmark charges to the service it drives. Linux only; -1 when the process cannot be read.
 */
final class ProcessCpu {
    /** Clock ticks per second: 100 on every Linux this runs on (getconf CLK_TCK). */
    private static final double TICKS = 100.0;

    private ProcessCpu() {
    }

    static double seconds(long pid) {
        if (pid <= 0) {
            return -1;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // the command name (field 2) may contain spaces; the fields after its ')' are fixed
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
