package io.statesys.sim.client;

import io.statesys.core.report.StateMessage;

import java.util.Random;

/**
 * Network faults injected between a client and the server, each a probability: a message lost on
 * the way (a real serial gap), a report delivered twice, a report held back and delivered after
 * the next one (reordering across reports), and a delay before each send.
 */
public final class Faults {
    public static final Faults NONE = new Faults(0, 0, 0, 0, new Random(0));

    private final double drop;
    private final double duplicate;
    private final double reorder;
    private final long delayMs;
    private final Random random;

    public Faults(double drop, double duplicate, double reorder, long delayMs, Random random) {
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

    public long delayMs() {
        return delayMs;
    }
}
