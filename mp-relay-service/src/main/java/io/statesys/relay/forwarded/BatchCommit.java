package io.statesys.relay.forwarded;

import io.smallrye.mutiny.Uni;
import io.statesys.core.report.Report;
import io.statesys.relay.ingest.Inbox;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One batch's commit: every report of the batch either {@link #add}s itself (admitted) or is
 * {@link #skip}ped (refused); when the last one has arrived, all that were added go to the inbox
 * in one statement, in the batch's order (identity checks finish in any order, but arrival order
 * is what the loader's tie rules read), and each waiting report learns its id — or the failure,
 * for all of them.
 */
final class BatchCommit {
    private final Inbox inbox;
    private final int expected;
    private final AtomicInteger arrived = new AtomicInteger();
    /** By position in the batch; null for a report not (yet) admitted. */
    private final Report[] slots;
    private final Inbox.Origin[] origins;
    /** Position in the batch → its row in the statement's answer. */
    private final int[] rowOf;
    private final CompletableFuture<List<Inbox.Stored>> committed = new CompletableFuture<>();

    BatchCommit(Inbox inbox, int expected) {
        this.inbox = inbox;
        this.expected = expected;
        this.slots = new Report[expected];
        this.origins = new Inbox.Origin[expected];
        this.rowOf = new int[expected];
    }

    /** The admitted report at {@code position}: completes with its inbox row once the whole batch is committed. */
    Uni<Inbox.Stored> add(int position, Report report, Inbox.Origin origin) {
        synchronized (slots) {
            slots[position] = report;
            origins[position] = origin;
        }
        arrive();
        return Uni.createFrom().completionStage(committed).map(stored -> stored.get(rowOf[position]));
    }

    /** A refused report: nothing of it is stored. */
    void skip() {
        arrive();
    }

    private void arrive() {
        if (arrived.incrementAndGet() != expected) {
            return;
        }
        List<Report> all = new ArrayList<>();
        List<Inbox.Origin> from = new ArrayList<>();
        synchronized (slots) {
            for (int i = 0; i < slots.length; i++) {
                if (slots[i] != null) {
                    rowOf[i] = all.size();
                    all.add(slots[i]);
                    from.add(origins[i]);
                }
            }
        }
        if (all.isEmpty()) {
            committed.complete(List.of());
            return;
        }
        inbox.storeAll(all, from).subscribe().with(committed::complete, committed::completeExceptionally);
    }
}
