package io.statesys.fsp.forward;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.statesys.fsp.forward.BatchTransport.Outcome;
import io.statesys.fsp.forward.ForwardStore.QueuedMessage;
import io.statesys.fsp.forward.ForwardStore.SignedReport;
import io.statesys.fsp.throttle.Throttle;
import io.statesys.service.database.Transactions;
import io.vertx.mutiny.sqlclient.SqlConnection;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;

/**
 * One forwarding round, the forwarder's unit of work, in three steps with no transaction held
 * across a relay call:
 * <ol>
 * <li>lease, in one short transaction, as much as the throttle granted: the signed reports due first
 * (forwarded whole, with their clients' signature fields), then the unsigned messages due first,
 * regrouped per client into reports in serial order (forwarded with the internal token);</li>
 * <li>forward them ({@link BatchTransport}: batches through the relay's batch door, several at a
 * time, within {@code statesys.fsp.forward-inflight-bytes});</li>
 * <li>settle, in one short transaction ({@link Settlement}): delete what the relay answered for
 * (202, or a 4xx whose report goes to dead letters) with one statement per table, and schedule the
 * rest again with back-off.</li>
 * </ol>
 * A crash between the relay's 202 and the settle leaves those messages leased; once the lease runs
 * out they are forwarded again and the processor counts them as duplicates (messages without a
 * serial number cannot be told apart, and are counted twice).
 */
final class ForwardRound {
    private static final Logger LOG = Logger.getLogger(ForwardRound.class);
    /** Longer than a relay call can take (its timeout is 30 s), so a lease never runs out under a call. */
    static final Duration LEASE = Duration.ofSeconds(120);

    private final Transactions tx;
    private final ForwardStore store;
    private final Throttle throttle;
    private final BatchTransport transport;
    private final int maxBatch;
    private final Counter forwarded;
    private final Counter throttledWaits;
    private final Counter retries;
    private final Counter deadLetters;
    private final Counter busy;

    ForwardRound(Transactions tx, ForwardStore store, Throttle throttle, RelayGateway relay,
                 int maxBatch, long batchBytes, ExecutorService senders, MeterRegistry registry) {
        this.tx = tx;
        this.store = store;
        this.throttle = throttle;
        this.transport = new BatchTransport(relay, batchBytes, senders);
        this.maxBatch = maxBatch;
        this.forwarded = Counter.builder("statesys.fsp.messages.forwarded").description("Messages the relay accepted from the FSP").register(registry);
        this.throttledWaits = Counter.builder("statesys.fsp.throttle.waits").description("Rounds that waited for throttle budget").register(registry);
        this.retries = Counter.builder("statesys.fsp.forward.retries").description("Forwards that failed and were scheduled again").register(registry);
        this.busy = Counter.builder("statesys.fsp.relay.busy")
                .description("Reports the relay answered 503 busy: kept queued, due again after its Retry-After").register(registry);
        this.deadLetters = Counter.builder("statesys.fsp.dead.letters").description("Reports the relay refused, moved to dead letters").register(registry);
    }

    /**
     * The outcome, what was left in the throttle's bucket (to time the next take exactly) and, when
     * the relay was busy, how long it asked the FSP to wait.
     */
    record Result(Forwarder.Round outcome, double throttleRemaining, Duration retryAfter) {
        Result(Forwarder.Round outcome, double throttleRemaining) {
            this(outcome, throttleRemaining, Duration.ZERO);
        }
    }

    Result run() {
        if (!store.anythingDue()) {
            return new Result(Forwarder.Round.IDLE, 0); // no budget taken, nothing written
        }
        Throttle.Grant grant = throttle.grant(maxBatch);
        if (grant.granted() == 0) {
            throttledWaits.increment();
            return new Result(Forwarder.Round.THROTTLED, grant.remaining());
        }
        int used = 0;
        try {
            List<Delivery> deliveries = tx.inTransaction(conn -> lease(conn, grant.granted()));
            if (deliveries.isEmpty()) {
                return new Result(Forwarder.Round.IDLE, grant.remaining());
            }
            List<Outcome> outcomes = transport.forwardAll(deliveries);
            tx.inTransaction(conn -> {
                settle(conn, outcomes);
                return null;
            });
            boolean unavailable = false;
            boolean answered = false;
            Duration busyFor = null;
            for (Outcome o : outcomes) {
                if (o.answer() != null) {
                    used += o.delivery().messages();
                    answered = true;
                } else if (o.busy() != null) {
                    busyFor = busyFor == null || o.busy().compareTo(busyFor) > 0 ? o.busy() : busyFor;
                } else {
                    unavailable = true;
                }
            }
            if (unavailable) {
                return new Result(Forwarder.Round.RELAY_UNAVAILABLE, grant.remaining());
            }
            // a relay that took some batches and was busy for others made room as it took them: go on
            // (what it was busy for is due again after its Retry-After); only a round it took nothing of waits
            return busyFor != null && !answered ? new Result(Forwarder.Round.RELAY_BUSY, grant.remaining(), busyFor)
                    : new Result(Forwarder.Round.FORWARDED, grant.remaining());
        } finally {
            int unused = grant.granted() - used;
            if (unused >= 0) {
                throttle.giveBack(unused);
            } else {
                throttle.charge(-unused); // a signed report goes whole, even past the grant
            }
        }
    }

    /** Signed reports first, then unsigned messages with the budget left, grouped per client in serial order. */
    private List<Delivery> lease(SqlConnection conn, int budget) {
        List<Delivery> out = new ArrayList<>();
        int left = budget;
        for (SignedReport s : store.leaseSigned(conn, budget, LEASE)) {
            out.add(new Delivery.Signed(s));
            left -= s.messageCount();
        }
        if (left > 0) {
            Map<UUID, List<QueuedMessage>> byClient = new LinkedHashMap<>();
            for (QueuedMessage q : store.lease(conn, left, LEASE)) {
                byClient.computeIfAbsent(q.client(), c -> new ArrayList<>()).add(q);
            }
            for (List<QueuedMessage> group : byClient.values()) {
                group.sort(Comparator.comparing(q -> q.message().serialNumber(), Comparator.nullsFirst(Comparator.naturalOrder())));
                out.add(new Delivery.Unsigned(group));
            }
        }
        return out;
    }

    /** Deletes what the relay answered for, dead-letters what it refused, reschedules the rest. */
    private void settle(SqlConnection conn, List<Outcome> outcomes) {
        Settlement settlement = new Settlement();
        String lastError = null;
        long delivered = 0;
        Duration busyFor = Duration.ZERO;
        for (Outcome o : outcomes) {
            Delivery d = o.delivery();
            if (o.answer() == null && o.busy() != null) {
                busy.increment();
                busyFor = o.busy().compareTo(busyFor) > 0 ? o.busy() : busyFor;
                d.settle(settlement, Settlement.Fate.BUSY);
            } else if (o.answer() == null) {
                lastError = o.unavailable();
                retries.increment();
                d.settle(settlement, Settlement.Fate.RETRY);
            } else {
                if (o.answer().accepted()) {
                    delivered += d.messages();
                } else {
                    deadLetters.increment();
                    LOG.warnf("relay refused a report of %d messages from %s (%d): moved to dead letters",
                            d.messages(), d.client(), o.answer().status());
                    d.deadLetter(store, conn, o.answer());
                }
                d.settle(settlement, Settlement.Fate.ANSWERED);
            }
        }
        settlement.write(store, conn, lastError, busyFor);
        if (delivered > 0) {
            store.countForwarded(conn, delivered);
            forwarded.increment(delivered);
        }
        if (lastError != null) {
            store.recordError(conn, lastError);
        }
    }
}
