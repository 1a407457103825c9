package io.statesys.sim.client;

import io.statesys.core.report.StateMessage;

import java.util.Random;

/**
 * Network faults injected between a client and the server, each a probability: a message lost on
 * the way (a real serial gap), a report delivered twice, a report held back and delivered after
 * the next one (reordering across reports), a delay before each send, and a spoofed report (one
 * naming another client, signed with the wrong key) sent beside a real one.
 */
public final class Faults {
    public static final Faults NONE = new Faults(0, 0, 0, 0, new Random(0));

    private final double spoof;
    private final double drop;
    private final double duplicate;
    private final double reorder;
    private final long delayMs;
    private final Random random;

    public Faults(double drop, double duplicate, double reorder, long delayMs, Random random) {
        this(drop, duplicate, reorder, delayMs, 0, random);
    }

    /** {@code spoof}: the share of sends that also send a report naming another client, signed with this client's key. */
    public Faults(double drop, double duplicate, double reorder, long delayMs, double spoof, Random random) {
        this.spoof = spoof;
        this.drop = drop;
        this.duplicate = duplicate;
        this.reorder = reorder;
        this.delayMs = delayMs;
        this.random = random;
    }

    public synchronized boolean lose(StateMessage m) {
        return drop > 0 && random.nextDouble() < drop;
    }

    public synchronized boolean duplicate() {
        return duplicate > 0 && random.nextDouble() < duplicate;
    }

    public synchronized boolean holdBack() {
        return reorder > 0 && random.nextDouble() < reorder;
    }

    public synchronized boolean spoof() {
        return spoof > 0 && random.nextDouble() < spoof;
    }

    public long delayMs() {
        return delayMs;
    }
}
