package io.statesys.sim.client;

import io.statesys.core.report.StateMessage;

import java.util.List;
import java.util.UUID;

/** What actually happened on the wire, for the audit: every message lost, every delivery accepted. */
public interface Ledger {
    Ledger NONE = new Ledger() {
        @Override
        public void lost(UUID client, StateMessage m) {
        }

        @Override
        public void delivered(UUID client, List<StateMessage> messages, boolean viaFsp, boolean unsigned, long latencyNanos) {
        }

        @Override
        public void spoofed(UUID spoofer, UUID victim, int status) {
        }
    };

    void lost(UUID client, StateMessage m);

    /**
     * A report the relay (or the FSP) answered 202: committed server-side. {@code unsigned}: sent
     * without a signature (a client that has not registered yet, through the FSP), which the server
     * loads as nobody's word: outside serial tracking, superseded by any signed message of its topic.
     */
    void delivered(UUID client, List<StateMessage> messages, boolean viaFsp, boolean unsigned, long latencyNanos);

    /**
     * Every answer a client got, by status (-1: the server unreachable, nothing sent; -3: sent, no
     * answer; -2: an answer the client could not read). The chaos scenarios count 5xx by it: 503 is the
     * contract's "try again", 500 is always a defect.
     */
    default void answered(int status) {
    }

    /**
     * A report was sent but no answer came (the server died or the connection broke after the
     * request went out): it may have been committed. The client sends it again, so the server may
     * count its messages twice — as duplicates, or twice among the serial-less — and be right.
     */
    default void uncertain(UUID client, List<StateMessage> messages, boolean unsigned) {
    }

    /** A report naming {@code victim}, signed by {@code spoofer}'s key, and the status it got (only a 4xx is right). */
    void spoofed(UUID spoofer, UUID victim, int status);
}
