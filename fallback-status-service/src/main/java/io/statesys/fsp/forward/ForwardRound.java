package io.statesys.fsp.forward;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.statesys.core.codec.ReportWriter;
import io.statesys.core.codec.XmlEncoding;
import io.statesys.core.report.Machine;
import io.statesys.core.report.Report;
import io.statesys.core.report.Sender;
import io.statesys.core.report.StateMessage;
import io.statesys.fsp.forward.ForwardStore.QueuedMessage;
import io.statesys.fsp.forward.ForwardStore.SignedReport;
import io.statesys.fsp.throttle.Throttle;
import io.statesys.service.database.Transactions;
import io.vertx.mutiny.sqlclient.SqlConnection;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One forwarding round, the forwarder's unit of work: take throttle budget; forward the oldest
 * signed reports whole, with their clients' signature fields; with the budget left, claim the
 * oldest unsigned messages, regroup them per client into reports in serial order and forward each
 * with the internal token; delete what the relay answered for (202, or a 4xx that goes to dead
 * letters), all in one transaction.
 * Claimed rows stay locked (SKIP LOCKED lets other FSP replicas take other rows) until the relay
 * has answered. A crash after the 202 but before the commit forwards those messages again; the
 * processor counts them as duplicates and changes nothing.
 */
final class ForwardRound {
    private static final Logger LOG = Logger.getLogger(ForwardRound.class);

    private final Transactions tx;
    private final ForwardStore store;
    private final Throttle throttle;
    private final RelayGateway relay;
    private final int maxBatch;
    private final Counter forwarded;
    private final Counter throttledWaits;
    private final Counter retries;
    private final Counter deadLetters;

    ForwardRound(Transactions tx, ForwardStore store, Throttle throttle, RelayGateway relay,
                 int maxBatch, MeterRegistry registry) {
        this.tx = tx;
        this.store = store;
        this.throttle = throttle;
        this.relay = relay;
        this.maxBatch = maxBatch;
        this.forwarded = Counter.builder("statesys.fsp.messages.forwarded").description("Messages the relay accepted from the FSP").register(registry);
        this.throttledWaits = Counter.builder("statesys.fsp.throttle.waits").description("Rounds that waited for throttle budget").register(registry);
        this.retries = Counter.builder("statesys.fsp.forward.retries").description("Forwards that failed and were scheduled again").register(registry);
        this.deadLetters = Counter.builder("statesys.fsp.dead.letters").description("Reports the relay refused, moved to dead letters").register(registry);
    }

    /** The outcome, and what was left in the throttle's bucket (to time the next take exactly). */
    record Result(Forwarder.Round outcome, double throttleRemaining) {
    }

    Result run() {
        Throttle.Grant grant = throttle.grant(maxBatch);
        if (grant.granted() == 0) {
            throttledWaits.increment();
            return new Result(Forwarder.Round.THROTTLED, grant.remaining());
        }
        int[] used = {0};
        try {
            Forwarder.Round outcome = tx.inTransaction(conn -> {
                List<SignedReport> signed = store.claimSigned(conn, grant.granted());
                if (!forwardSigned(conn, signed, used)) {
                    return Forwarder.Round.RELAY_UNAVAILABLE;
                }
                int left = grant.granted() - used[0];
                List<QueuedMessage> claimed = left > 0 ? store.claim(conn, left) : List.of();
                if (claimed.isEmpty()) {
                    return signed.isEmpty() ? Forwarder.Round.IDLE : Forwarder.Round.FORWARDED;
                }
                return forward(conn, claimed, used);
            });
            return new Result(outcome, grant.remaining());
        } finally {
            int unused = grant.granted() - used[0];
            if (unused >= 0) {
                throttle.giveBack(unused);
            } else {
                throttle.charge(-unused);
            }
        }
    }

    /**
     * Signed reports go whole, with their client's signature fields; false when the relay could
     * not be reached (the rest waits for the next round).
     */
    private boolean forwardSigned(SqlConnection conn, List<SignedReport> signed, int[] used) {
        long delivered = 0;
        for (SignedReport s : signed) {
            try {
                RelayGateway.Answer a = relay.forwardSigned(s.contentEncoding(), s.contentDigest(), s.signatureInput(),
                        s.signature(), s.body());
                if (a.accepted()) {
                    delivered += s.messageCount();
                } else {
                    store.deadLetterSigned(conn, s, a.status(), a.body());
                    deadLetters.increment();
                    LOG.warnf("relay refused a signed report of %d messages from %s (%d): moved to dead letters",
                            s.messageCount(), s.client(), a.status());
                }
                store.deleteSigned(conn, s.id());
                used[0] += s.messageCount();
            } catch (RelayGateway.RelayUnavailable | CircuitBreakerOpenException | TimeoutException e) {
                retries.increment();
                store.retrySignedLater(conn, s.id(), e.getMessage());
                store.recordError(String.valueOf(e.getMessage()));
                countForwarded(conn, delivered);
                return false;
            }
        }
        countForwarded(conn, delivered);
        return true;
    }

    private void countForwarded(SqlConnection conn, long delivered) {
        if (delivered > 0) {
            store.countForwarded(conn, delivered);
            forwarded.increment(delivered);
        }
    }

    /** Forwards per client; {@code used[0]} ends as the messages the relay answered for. */
    private Forwarder.Round forward(SqlConnection conn, List<QueuedMessage> claimed, int[] used) {
        Map<UUID, List<QueuedMessage>> byClient = new LinkedHashMap<>();
        for (QueuedMessage q : claimed) {
            byClient.computeIfAbsent(q.client(), c -> new ArrayList<>()).add(q);
        }
        long delivered = 0;
        boolean unavailable = false;
        for (List<QueuedMessage> group : byClient.values()) {
            if (unavailable) {
                break; // not tried this round: budget goes back, rows stay as they are
            }
            group.sort(Comparator.comparing(q -> q.message().serialNumber(), Comparator.nullsFirst(Comparator.naturalOrder())));
            Long[] ids = group.stream().map(QueuedMessage::id).toArray(Long[]::new);
            QueuedMessage first = group.get(0);
            List<StateMessage> messages = group.stream().map(QueuedMessage::message).toList();
            int priority = group.stream().mapToInt(QueuedMessage::priority).max().orElse(0);
            Sender sender = first.sender();
            Machine machine = new Machine(first.client(), first.netbiosName(), first.clientVersion(), null, null,
                    sender.clientInstalled(), sender.clientType(), sender.idType(), sender.idFlag(),
                    priority == 0 ? null : priority);
            Report report = Report.full(machine, Instant.now(), messages);
            try {
                RelayGateway.Answer a = relay.forward(ReportWriter.write(report, XmlEncoding.UTF_16LE));
                if (a.accepted()) {
                    delivered += group.size();
                } else {
                    store.deadLetter(conn, first, messages, a.status(), a.body());
                    deadLetters.increment();
                    LOG.warnf("relay refused a report of %d messages from %s (%d): moved to dead letters",
                            group.size(), first.client(), a.status());
                }
                store.delete(conn, ids);
                used[0] += group.size();
            } catch (RelayGateway.RelayUnavailable | CircuitBreakerOpenException | TimeoutException e) {
                unavailable = true;
                retries.increment();
                store.retryLater(conn, ids, e.getMessage());
                store.recordError(String.valueOf(e.getMessage()));
            }
        }
        countForwarded(conn, delivered);
        return unavailable ? Forwarder.Round.RELAY_UNAVAILABLE : Forwarder.Round.FORWARDED;
    }
}
