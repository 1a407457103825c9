package io.statesys.sim.simulate;

import io.statesys.core.report.StateMessage;
import io.statesys.sim.client.Ledger;
import org.HdrHistogram.Recorder;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** Every delivery the server accepted and every message lost, per client, plus live counters. */
public final class AuditLedger implements Ledger {
    final Map<UUID, List<StateMessage>> arrivals = new ConcurrentHashMap<>();
    /** What arrived unsigned, per client (also in {@link #arrivals}): loaded outside serial tracking. */
    final Map<UUID, List<StateMessage>> unsignedArrivals = new ConcurrentHashMap<>();
    final Map<UUID, List<Long>> lost = new ConcurrentHashMap<>();
    final AtomicLong acceptedMessages = new AtomicLong();
    final AtomicLong acceptedReports = new AtomicLong();
    final AtomicLong viaFsp = new AtomicLong();
    final AtomicLong lostMessages = new AtomicLong();
    /** Accepted messages sent without a serial number (script results). */
    final AtomicLong serialLess = new AtomicLong();
    final Recorder latency = new Recorder(3_600_000_000L, 3);
    final AtomicLong spoofsSent = new AtomicLong();
    final AtomicLong spoofsRefused = new AtomicLong();
    final Map<Integer, AtomicLong> spoofAnswers = new ConcurrentHashMap<>();
    /** Every answer the clients got, by status (-1 unreachable, -2 unreadable). */
    final Map<Integer, java.util.concurrent.atomic.LongAdder> answers = new ConcurrentHashMap<>();

    /**
     * Every accepted delivery per client, in order, with when it was sent and answered (wall clock):
     * a site restored to a point in time holds exactly the deliveries answered before that point.
     */
    final Map<UUID, List<Delivery>> deliveries = new ConcurrentHashMap<>();

    /** One accepted report: its messages, sent at {@code sentAt} and answered 202 at {@code answeredAt} (epoch ms). */
    record Delivery(long sentAt, long answeredAt, List<StateMessage> messages, boolean unsigned) {
    }

    /** Per client: messages with and without a serial in sends that got no answer (maybe committed). */
    final Map<UUID, long[]> uncertain = new ConcurrentHashMap<>();

    @Override
    public void uncertain(UUID client, List<StateMessage> messages, boolean unsigned) {
        long withSerial = unsigned ? 0 : messages.stream().filter(StateMessage::hasSerial).count();
        long[] u = uncertain.computeIfAbsent(client, c -> new long[2]);
        synchronized (u) {
            u[0] += withSerial;
            u[1] += messages.size() - withSerial;
        }
    }

    @Override
    public void answered(int status) {
        answers.computeIfAbsent(status, k -> new java.util.concurrent.atomic.LongAdder()).increment();
    }

    /** The answers so far, by status, in status order. */
    java.util.SortedMap<Integer, Long> answers() {
        java.util.SortedMap<Integer, Long> m = new java.util.TreeMap<>();
        answers.forEach((k, v) -> m.put(k, v.sum()));
        return m;
    }

    @Override
    public void spoofed(UUID spoofer, UUID victim, int status) {
        spoofsSent.incrementAndGet();
        spoofAnswers.computeIfAbsent(status, k -> new AtomicLong()).incrementAndGet();
        if (status == 401 || status == 403) {
            spoofsRefused.incrementAndGet();
        }
    }

    @Override
    public void lost(UUID client, StateMessage m) {
        lost.computeIfAbsent(client, c -> new ArrayList<>()).add(m.hasSerial() ? m.serialNumber() : Audit.NONE);
        lostMessages.incrementAndGet();
    }

    @Override
    public void delivered(UUID client, List<StateMessage> messages, boolean fsp, boolean unsigned, long latencyNanos) {
        long now = System.currentTimeMillis();
        List<StateMessage> list = arrivals.computeIfAbsent(client, c -> new ArrayList<>());
        synchronized (list) {
            list.addAll(messages);
        }
        List<Delivery> ds = deliveries.computeIfAbsent(client, c -> new ArrayList<>());
        synchronized (ds) {
            ds.add(new Delivery(now - latencyNanos / 1_000_000 - 1, now, List.copyOf(messages), unsigned));
        }
        if (unsigned) {
            List<StateMessage> u = unsignedArrivals.computeIfAbsent(client, c -> new ArrayList<>());
            synchronized (u) {
                u.addAll(messages);
            }
        }
        acceptedMessages.addAndGet(messages.size());
        serialLess.addAndGet(unsigned ? messages.size() : messages.stream().filter(m -> !m.hasSerial()).count());
        acceptedReports.incrementAndGet();
        if (fsp) {
            viaFsp.addAndGet(messages.size());
        }
        latency.recordValue(Math.max(1, latencyNanos / 1000));
    }
}
