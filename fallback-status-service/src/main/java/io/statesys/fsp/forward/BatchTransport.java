package io.statesys.fsp.forward;

import io.statesys.service.forwarding.ForwardedReports;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * Carries a round's deliveries to the relay: in batches of up to {@value #BATCH_REPORTS} reports and
 * a byte budget, through the relay's batch door ({@code /api/v1/forwarded-reports}: one call and one
 * relay commit per batch), several batches in flight on the sender threads. A relay without the batch
 * door (an older one) gets one call per report, from then on.
 */
final class BatchTransport {
    private static final Logger LOG = Logger.getLogger(BatchTransport.class);

    static final int BATCH_REPORTS = 200;
    /** The smallest batch a byte budget leaves (a report larger than a batch's bytes still goes, alone). */
    static final long MIN_BATCH_BYTES = 64 * 1024;
    private static final int ENTRY_FIELDS_BYTES = 512;

    /**
     * What the relay made of one delivery: an answer (accepted or refused for good), busy (call again
     * after {@code busy}), or unreachable ({@code unavailable} says why).
     */
    record Outcome(Delivery delivery, RelayGateway.Answer answer, String unavailable, Duration busy) {
        Outcome(Delivery delivery, RelayGateway.Answer answer, String unavailable) {
            this(delivery, answer, unavailable, null);
        }
    }

    private final RelayGateway relay;
    private final long batchBytes;
    private final ExecutorService senders;
    private volatile boolean batchesSupported = true;

    BatchTransport(RelayGateway relay, long batchBytes, ExecutorService senders) {
        this.relay = relay;
        this.batchBytes = batchBytes;
        this.senders = senders;
    }

    /**
     * The bytes one batch may carry: the in-flight bytes shared by the concurrent batches. The relay
     * admits a batch against the same budget its clients' reports use, so the FSP's batches together
     * stay within what the FSP was given of it.
     */
    static long batchBytes(long inflightBytes, int concurrency) {
        return Math.max(MIN_BATCH_BYTES, inflightBytes / Math.max(1, concurrency));
    }

    /** Every delivery's outcome, batched where the relay has the batch door. */
    List<Outcome> forwardAll(List<Delivery> deliveries) {
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
    private void inFlight(List<List<Delivery>> groups, Function<List<Delivery>, List<Outcome>> send, List<Outcome> outcomes) {
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
            written.add(senders.submit(d::entry));
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
            return new Outcome(d, d.sendAlone(relay), null);
        } catch (RelayGateway.RelayBusy e) {
            return new Outcome(d, null, null, e.retryAfter());
        } catch (RelayGateway.RelayUnavailable | CircuitBreakerOpenException | TimeoutException e) {
            return new Outcome(d, null, String.valueOf(e.getMessage()));
        }
    }
}
