package io.statesys.sim.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * CPU time (user + system) and peak memory of other processes on this machine, from {@code /proc}:
 * what a benchmark charges to the service it drives. Linux only; -1 when a process cannot be read.
 */
final class ProcessCpu {
    /** Clock ticks per second: 100 on every Linux this runs on (getconf CLK_TCK). */
    private static final double TICKS = 100.0;

    private ProcessCpu() {
    }

    static double seconds(long pid) {
        String[] f = stat(pid);
        return f == null ? -1 : (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS;
    }

    /**
     * Every PostgreSQL process on this machine (postmaster, backends, background workers), with the
     * CPU of backends that already exited (the postmaster's children's time): a database on another
     * host reads as 0.
     */
    static double postgresSeconds() {
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            return procs.map(p -> p.getFileName().toString()).filter(n -> n.chars().allMatch(Character::isDigit))
                    .mapToDouble(n -> {
                        String[] f = stat(Long.parseLong(n), "postgres");
                        return f == null ? 0 // not PostgreSQL, or a backend that ended while we looked
                                : (Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13]) + Long.parseLong(f[14])) / TICKS;
                    }).sum();
        } catch (IOException e) {
            return -1;
        }
    }

    /** The process's peak resident set (VmHWM) in MiB, or -1. */
    static long peakRssMib(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone or not Linux
        }
        return -1;
    }

    private static String[] stat(long pid) {
        return stat(pid, null);
    }

    /** The fields after the command name, or null if the process is gone (or is not {@code command}, when given). */
    private static String[] stat(long pid, String command) {
        if (pid <= 0) {
            return null;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            if (command != null && !stat.contains("(" + command + ")")) {
                return null;
            }
            // the command name (field 2) may contain spaces; the fields after its ')' are fixed
            return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
