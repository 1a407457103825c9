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
import io.statesys.service.forwarding.ForwardedReports;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * One forwarding round, the forwarder's unit of work, in three steps with no transaction held
 * across a relay call:
 * <ol>
 * <li>lease, in one short transaction, as much as the throttle granted: the signed reports due first
 * (forwarded whole, with their clients' signature fields), then the unsigned messages due first,
 * regrouped per client into reports in serial order (forwarded with the internal token);</li>
 * <li>forward them in batches (the relay's {@code /api/v1/forwarded-reports}: one call and one
 * relay commit per batch), several batches at a time ({@code statesys.fsp.forward-concurrency}),
 * together within {@code statesys.fsp.forward-inflight-bytes};</li>
 * <li>settle, in one short transaction: delete what the relay answered for (202, or a 4xx whose
 * report goes to dead letters) with one statement per table, and schedule the rest again with
 * back-off.</li>
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
    private final RelayGateway relay;
    private final int maxBatch;
    private final long batchBytes;
    private final ExecutorService senders;
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
        this.relay = relay;
        this.maxBatch = maxBatch;
        this.batchBytes = batchBytes;
        this.senders = senders;
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

    /** One report to forward: a signed report as it came, or one client's unsigned messages regrouped. */
    private sealed interface Delivery permits SignedDelivery, ClientDelivery {
        int messages();

        UUID client();
    }

    private record SignedDelivery(SignedReport report) implements Delivery {
        public int messages() {
            return report.messageCount();
        }

        public UUID client() {
            return report.client();
        }
    }

    private record ClientDelivery(List<QueuedMessage> group) implements Delivery {
        public int messages() {
            return group.size();
        }

        public UUID client() {
            return group.get(0).client();
        }

        Long[] ids() {
            return group.stream().map(QueuedMessage::id).toArray(Long[]::new);
        }

        List<StateMessage> stateMessages() {
            return group.stream().map(QueuedMessage::message).toList();
        }
    }

    /**
     * What the relay made of one delivery: an answer (accepted or refused for good), busy (call again
     * after {@code busy}), or unreachable.
     */
    private record Outcome(Delivery delivery, RelayGateway.Answer answer, String unavailable, Duration busy) {
        Outcome(Delivery delivery, RelayGateway.Answer answer, String unavailable) {
            this(delivery, answer, unavailable, null);
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
            List<Outcome> outcomes = forwardAll(deliveries);
            tx.inTransaction(conn -> {
                settle(conn, outcomes);
                return null;
            });
            boolean unavailable = false;
            boolean answered = false;
            Duration busy = null;
            for (Outcome o : outcomes) {
                if (o.answer() != null) {
                    used += o.delivery().messages();
                    answered = true;
                } else if (o.busy() != null) {
                    busy = busy == null || o.busy().compareTo(busy) > 0 ? o.busy() : busy;
                } else {
                    unavailable = true;
                }
            }
            if (unavailable) {
                return new Result(Forwarder.Round.RELAY_UNAVAILABLE, grant.remaining());
            }
            // a relay that took some batches and was busy for others made room as it took them: go on
            // (what it was busy for is due again after its Retry-After); only a round it took nothing of waits
            return busy != null && !answered ? new Result(Forwarder.Round.RELAY_BUSY, grant.remaining(), busy)
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

    /** Signed reports first, then unsigned messages with the budget left, grouped per client. */
    private List<Delivery> lease(io.vertx.mutiny.sqlclient.SqlConnection conn, int budget) {
        List<Delivery> out = new ArrayList<>();
        int left = budget;
        for (SignedReport s : store.leaseSigned(conn, budget, LEASE)) {
            out.add(new SignedDelivery(s));
            left -= s.messageCount();
        }
        if (left > 0) {
            Map<UUID, List<QueuedMessage>> byClient = new LinkedHashMap<>();
            for (QueuedMessage q : store.lease(conn, left, LEASE)) {
                byClient.computeIfAbsent(q.client(), c -> new ArrayList<>()).add(q);
            }
            for (List<QueuedMessage> group : byClient.values()) {
                group.sort(Comparator.comparing(q -> q.message().serialNumber(), Comparator.nullsFirst(Comparator.naturalOrder())));
                out.add(new ClientDelivery(group));
            }
        }
        return out;
    }

    /**
     * Batches of up to {@value #BATCH_REPORTS} reports and {@link #batchBytes} bytes as sent, several
     * in flight: one relay call and one relay commit per batch instead of per report. A relay without
     * the batch door (an older one) gets one call per report, as before.
     */
    private List<Outcome> forwardAll(List<Delivery> deliveries) {
        if (!batchesSupported) {
            return forwardEach(deliveries);
        }
        List<Outcome> outcomes = new ArrayList<>(deliveries.size());
        Map<Delivery, ForwardedReports.Entry> entries = entries(deliveries, outcomes);
        List<Delivery> written = deliveries.stream().filter(entries::containsKey).toList();
        List<Delivery> unbatched = new ArrayList<>();
        inFlight(split(written, entries, batchBytes), batch -> {
            List<Outcome> got = forwardBatch(batch, batch.stream().map(entries::get).toList());
            if (got == null) {
                synchronized (unbatched) {
                    unbatched.addAll(batch);
                }
                return List.of();
            }
            return got;
        }, outcomes);
        if (!unbatched.isEmpty()) {
            outcomes.addAll(forwardEach(unbatched));
        }
        return outcomes;
    }

    /** One relay call per report, several in flight. */
    private List<Outcome> forwardEach(List<Delivery> deliveries) {
        List<Outcome> outcomes = new ArrayList<>(deliveries.size());
        inFlight(deliveries.stream().map(List::of).toList(), one -> List.of(forward(one.get(0))), outcomes);
        return outcomes;
    }

    /**
     * Sends each group on the sender threads and adds what came back to {@code outcomes}, in the
     * groups' order; a group whose sending failed outright is unavailable, report by report.
     */
    private void inFlight(List<List<Delivery>> groups, java.util.function.Function<List<Delivery>, List<Outcome>> send,
                          List<Outcome> outcomes) {
        List<Future<List<Outcome>>> pending = new ArrayList<>(groups.size());
        for (List<Delivery> g : groups) {
            pending.add(senders.submit(() -> send.apply(g)));
        }
        for (int i = 0; i < pending.size(); i++) {
            List<Delivery> g = groups.get(i);
            try {
                outcomes.addAll(pending.get(i).get());
            } catch (ExecutionException e) {
                g.forEach(d -> outcomes.add(new Outcome(d, null, String.valueOf(e.getCause()))));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                g.forEach(d -> outcomes.add(new Outcome(d, null, "interrupted")));
            }
        }
    }

    static final int BATCH_REPORTS = 200;
    /** The smallest batch a byte budget leaves (a report larger than a batch's bytes still goes, alone). */
    static final long MIN_BATCH_BYTES = 64 * 1024;
    private volatile boolean batchesSupported = true;

    /**
     * The bytes one batch may carry: the in-flight bytes shared by the concurrent batches. The relay
     * admits a batch against the same budget its clients' reports use, so the FSP's batches together
     * stay within what the FSP was given of it.
     */
    static long batchBytes(long inflightBytes, int concurrency) {
        return Math.max(MIN_BATCH_BYTES, inflightBytes / Math.max(1, concurrency));
    }

    /** Consecutive batches within the report and byte caps (a report larger than the byte cap goes alone). */
    static <D> List<List<D>> split(List<D> deliveries, Map<D, ForwardedReports.Entry> entries, long batchBytes) {
        List<List<D>> out = new ArrayList<>();
        List<D> current = new ArrayList<>();
        long bytes = 0;
        for (D d : deliveries) {
            long size = sentBytes(entries.get(d));
            if (!current.isEmpty() && (current.size() >= BATCH_REPORTS || bytes + size > batchBytes)) {
                out.add(current);
                current = new ArrayList<>();
                bytes = 0;
            }
            current.add(d);
            bytes += size;
        }
        if (!current.isEmpty()) {
            out.add(current);
        }
        return out;
    }

    /** An entry's bytes in the batch's JSON: its body in base64 and, at most, its signature fields. */
    static long sentBytes(ForwardedReports.Entry e) {
        return 4L * ((e.body().length + 2) / 3) + ENTRY_FIELDS_BYTES;
    }

    private static final int ENTRY_FIELDS_BYTES = 512;

    /**
     * Every delivery as the batch door takes it, written on the sender threads (a round's unsigned
     * messages are a few thousand reports to write as XML; the senders are idle until the batches
     * are cut, and the batches are cut by these entries' sizes). A delivery that could not be
     * written is left out of the map and answered in {@code failed}: it is retried like one the
     * relay could not take.
     */
    private Map<Delivery, ForwardedReports.Entry> entries(List<Delivery> deliveries, List<Outcome> failed) {
        List<Future<ForwardedReports.Entry>> written = new ArrayList<>(deliveries.size());
        for (Delivery d : deliveries) {
            written.add(senders.submit(() -> entry(d)));
        }
        Map<Delivery, ForwardedReports.Entry> entries = new IdentityHashMap<>(deliveries.size());
        for (int i = 0; i < deliveries.size(); i++) {
            Delivery d = deliveries.get(i);
            try {
                entries.put(d, written.get(i).get());
            } catch (ExecutionException e) {
                failed.add(new Outcome(d, null, String.valueOf(e.getCause())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failed.add(new Outcome(d, null, "interrupted"));
            }
        }
        return entries;
    }

    /** A delivery as the batch door takes it: a signed report as it came, unsigned messages as a UTF-8 report. */
    private static ForwardedReports.Entry entry(Delivery d) {
        if (d instanceof SignedDelivery s) {
            SignedReport r = s.report();
            return new ForwardedReports.Entry(r.contentType(), r.contentEncoding(), r.contentDigest(),
                    r.signatureInput(), r.signature(), r.body());
        }
        // UTF-8: half the bytes of UTF-16 to carry and read; the contract takes both
        return new ForwardedReports.Entry("text/xml", null, null, null, null,
                ReportWriter.write(report((ClientDelivery) d), XmlEncoding.UTF_8));
    }

    /** One batch call; null when the relay has no batch door (the caller forwards one by one). */
    private List<Outcome> forwardBatch(List<Delivery> batch, List<ForwardedReports.Entry> entries) {
        List<Outcome> out = new ArrayList<>(batch.size());
        try {
            List<RelayGateway.Answer> answers = relay.forwardBatch(entries);
            for (int i = 0; i < batch.size(); i++) {
                out.add(new Outcome(batch.get(i), answers.get(i), null));
            }
        } catch (RelayGateway.RelayBusy e) {
            batch.forEach(d -> out.add(new Outcome(d, null, null, e.retryAfter())));
        } catch (RelayGateway.BatchesUnsupported e) {
            LOG.info("the relay has no batch door (/api/v1/forwarded-reports): forwarding one report per call");
            batchesSupported = false;
            return null;
        } catch (RelayGateway.RelayUnavailable | CircuitBreakerOpenException | TimeoutException e) {
            batch.forEach(d -> out.add(new Outcome(d, null, String.valueOf(e.getMessage()))));
        }
        return out;
    }

    private Outcome forward(Delivery d) {
        try {
            RelayGateway.Answer a = d instanceof SignedDelivery s
                    ? relay.forwardSigned(s.report().contentEncoding(), s.report().contentDigest(),
                            s.report().signatureInput(), s.report().signature(), s.report().body())
                    : relay.forward(ReportWriter.write(report((ClientDelivery) d), XmlEncoding.UTF_16LE));
            return new Outcome(d, a, null);
        } catch (RelayGateway.RelayBusy e) {
            return new Outcome(d, null, null, e.retryAfter());
        } catch (RelayGateway.RelayUnavailable | CircuitBreakerOpenException | TimeoutException e) {
            return new Outcome(d, null, String.valueOf(e.getMessage()));
        }
    }

    /** One client's messages as the report a client would have sent, with its header and priority. */
    private static Report report(ClientDelivery c) {
        QueuedMessage first = c.group().get(0);
        int priority = c.group().stream().mapToInt(QueuedMessage::priority).max().orElse(0);
        Sender sender = first.sender();
        Machine machine = new Machine(first.client(), first.netbiosName(), first.clientVersion(), null, null,
                sender.clientInstalled(), sender.clientType(), sender.idType(), sender.idFlag(), priority == 0 ? null : priority);
        return Report.full(machine, Instant.now(), c.stateMessages());
    }

    /** Deletes what the relay answered for, dead-letters what it refused, reschedules the rest. */
    private void settle(io.vertx.mutiny.sqlclient.SqlConnection conn, List<Outcome> outcomes) {
        List<Long> answeredIds = new ArrayList<>();
        List<Long> answeredSigned = new ArrayList<>();
        List<Long> retryIds = new ArrayList<>();
        List<Long> retrySigned = new ArrayList<>();
        String lastError = null;
        long delivered = 0;
        List<Long> busyIds = new ArrayList<>();
        List<Long> busySigned = new ArrayList<>();
        Duration busyFor = Duration.ZERO;
        for (Outcome o : outcomes) {
            if (o.answer() == null && o.busy() != null) {
                busy.increment();
                busyFor = o.busy().compareTo(busyFor) > 0 ? o.busy() : busyFor;
                if (o.delivery() instanceof SignedDelivery s) {
                    busySigned.add(s.report().id());
                } else {
                    busyIds.addAll(List.of(((ClientDelivery) o.delivery()).ids()));
                }
                continue;
            }
            if (o.answer() == null) {
                lastError = o.unavailable();
                retries.increment();
                if (o.delivery() instanceof SignedDelivery s) {
                    retrySigned.add(s.report().id());
                } else {
                    retryIds.addAll(List.of(((ClientDelivery) o.delivery()).ids()));
                }
                continue;
            }
            if (o.answer().accepted()) {
                delivered += o.delivery().messages();
            } else {
                deadLetters.increment();
                LOG.warnf("relay refused a report of %d messages from %s (%d): moved to dead letters",
                        o.delivery().messages(), o.delivery().client(), o.answer().status());
                if (o.delivery() instanceof SignedDelivery s) {
                    store.deadLetterSigned(conn, s.report(), o.answer().status(), o.answer().body());
                } else {
                    ClientDelivery c = (ClientDelivery) o.delivery();
                    store.deadLetter(conn, c.group().get(0), c.stateMessages(), o.answer().status(), o.answer().body());
                }
            }
            if (o.delivery() instanceof SignedDelivery s) {
                answeredSigned.add(s.report().id());
            } else {
                answeredIds.addAll(List.of(((ClientDelivery) o.delivery()).ids()));
            }
        }
        store.delete(conn, answeredIds.toArray(new Long[0]));
        store.deleteSigned(conn, answeredSigned.toArray(new Long[0]));
        store.retryLater(conn, retryIds.toArray(new Long[0]), lastError);
        store.retrySignedLater(conn, retrySigned.toArray(new Long[0]), lastError);
        store.dueAgainAfter(conn, busyIds.toArray(new Long[0]), busySigned.toArray(new Long[0]), busyFor);
        if (delivered > 0) {
            store.countForwarded(conn, delivered);
            forwarded.increment(delivered);
        }
        if (lastError != null) {
            store.recordError(conn, lastError);
        }
    }
}
