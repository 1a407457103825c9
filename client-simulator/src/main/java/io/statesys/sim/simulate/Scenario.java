package io.statesys.sim.simulate;

/** What the simulated clients do. */
public enum Scenario {
    /** each client reports a few state changes per cycle (interval with jitter) for the duration */
    STEADY,
    /** every client reports K updates × the 500 → 402 enforcement sequence as fast as the system accepts */
    PATCH_TUESDAY,
    /** client installation: deployment and assignment messages (800) through the fallback status point */
    CLIENT_DEPLOYMENT
}
