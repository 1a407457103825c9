package io.statesys.sim.client;

/** What one send cycle did. */
public record SendResult(Outcome outcome, int messages, int status, boolean resyncRequested, long latencyNanos) {
    public enum Outcome {
        /** nothing was waiting */
        IDLE,
        /** the relay answered 202 */
        RELAY,
        /** the relay could not take it; the fallback status point answered 202 */
        FSP,
        /** nobody took it; kept for a later cycle */
        DEFERRED,
        /** refused as invalid (4xx): dropped, as a client drops a report the server will never take */
        REFUSED
    }

    public static final SendResult IDLE = new SendResult(Outcome.IDLE, 0, 0, false, 0);

    public boolean delivered() {
        return outcome == Outcome.RELAY || outcome == Outcome.FSP;
    }
}
