package io.statesys.processor.loader;

import io.statesys.core.inbox.InboxPayload;
import io.statesys.core.report.Sender;
import io.statesys.core.report.StateMessage;
import io.statesys.processor.serials.MissingRange;
import io.statesys.processor.serials.SerialTracker;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Loads one chunk of the inbox in the caller's transaction: claim reports, bring each client's
 * serial statistics and missing ranges up to date, upsert latest state, mark resyncs complete,
 * remove the reports from the inbox and add to the counters. The caller commits or rolls back the
 * whole; a failure after the claim carries the claimed ids ({@link ChunkFailedException}).
 * <p>
 * Two loaders never work on one client at the same time: the client's statistics row is locked
 * (in client order) before its serials are read, so concurrent chunks for one client serialise.
 */
final class ChunkLoader {
    private final String shard;
    private final LoaderStore store;
    private final UserParamsJson json;

    ChunkLoader(String shard, LoaderStore store, UserParamsJson json) {
        this.shard = shard;
        this.store = store;
        this.json = json;
    }

    /** Claims up to {@code limit} reports in arrival order and loads them. */
    ChunkResult loadNext(SqlConnection conn, int limit) {
        return load(conn, store.claimNext(conn, limit));
    }

    /** Claims one given report (used to isolate a poisoned record from the rest of its chunk). */
    ChunkResult loadOne(SqlConnection conn, long inboxId) {
        return load(conn, store.claimOne(conn, inboxId));
    }

    private ChunkResult load(SqlConnection conn, List<Row> claimed) {
        if (claimed.isEmpty()) {
            return ChunkResult.NOTHING;
        }
        List<InboxRecord> records = new ArrayList<>(claimed.size());
        Instant now = null;
        for (Row r : claimed) {
            now = r.getOffsetDateTime("tx_now").toInstant();
            records.add(InboxRecord.of(r));
        }
        List<Long> ids = records.stream().map(InboxRecord::id).toList();
        try {
            return load(conn, records, ids, now);
        } catch (RuntimeException e) {
            throw new ChunkFailedException(ids, e);
        }
    }

    private ChunkResult load(SqlConnection conn, List<InboxRecord> records, List<Long> ids, Instant now) {
        // Decode; a payload that cannot be read is poison: kept in invalid records, never retried.
        Map<UUID, List<StateMessage>> byClient = new TreeMap<>();
        Map<UUID, List<StateMessage>> unsignedByClient = new HashMap<>();
        Map<UUID, String> names = new HashMap<>();
        Map<UUID, Sender> senders = new HashMap<>();
        Map<UUID, String> unsignedNames = new HashMap<>();
        Map<UUID, Sender> unsignedSenders = new HashMap<>();
        long invalid = 0;
        for (InboxRecord rec : records) {
            try {
                InboxPayload.Contents contents = InboxPayload.read(rec.payload());
                List<StateMessage> vouched = byClient.computeIfAbsent(rec.clientId(), c -> new ArrayList<>());
                if (rec.unsigned()) {
                    unsignedByClient.computeIfAbsent(rec.clientId(), c -> new ArrayList<>()).addAll(contents.messages());
                } else {
                    vouched.addAll(contents.messages());
                }
                Map<UUID, String> nameTo = rec.unsigned() ? unsignedNames : names;
                Map<UUID, Sender> senderTo = rec.unsigned() ? unsignedSenders : senders;
                if (rec.netbiosName() != null) {
                    nameTo.put(rec.clientId(), rec.netbiosName());
                }
                if (!contents.sender().equals(Sender.UNKNOWN)) {
                    senderTo.put(rec.clientId(), contents.sender());
                }
            } catch (InboxPayload.CorruptPayloadException e) {
                store.invalidate(conn, rec, "corrupt inbox payload: " + e.getMessage());
                invalid += rec.messageCount();
            }
        }
        // What unsigned reports say of their sender counts only for a client that has no identity: a
        // registered client speaks for itself, through signed reports
        Set<UUID> registered = unsignedByClient.isEmpty() ? Set.of()
                : store.registered(conn, unsignedByClient.keySet().toArray(new UUID[0]));
        for (UUID c : unsignedByClient.keySet()) {
            if (!registered.contains(c)) {
                Optional.ofNullable(unsignedNames.get(c)).ifPresent(n -> names.putIfAbsent(c, n));
                Optional.ofNullable(unsignedSenders.get(c)).ifPresent(n -> senders.putIfAbsent(c, n));
            }
        }

        ChunkWrites writes = new ChunkWrites();
        if (!byClient.isEmpty()) {
            Map<UUID, SerialTracker> trackers = trackers(conn, byClient.keySet().toArray(new UUID[0]));
            for (Map.Entry<UUID, List<StateMessage>> e : byClient.entrySet()) {
                UUID c = e.getKey();
                applyClient(c, e.getValue(), unsignedByClient.getOrDefault(c, List.of()), !registered.contains(c),
                        trackers.get(c), names.get(c), senders.get(c), now, writes);
            }
            store.upsertStates(conn, writes.states);
            store.updateStats(conn, writes.stats);
            store.replaceRanges(conn, writes.ranges);
            store.completeResyncs(conn, writes.resynced);
        }
        store.deleteFromInbox(conn, ids);
        store.addCounters(conn, shard, records.size(), writes.processed, invalid, writes.duplicates);
        return new ChunkResult(records.size(), writes.processed, writes.duplicates, invalid, writes.gapsOpened,
                writes.gapsClosed);
    }

    /** Locks the clients' statistics rows first, then reads their ranges: both as of the lock. */
    private Map<UUID, SerialTracker> trackers(SqlConnection conn, UUID[] clients) {
        RowSet<Row> stats = store.lockStats(conn, clients);
        Map<UUID, List<MissingRange>> ranges = new HashMap<>();
        for (Row r : store.missingRanges(conn, clients)) {
            ranges.computeIfAbsent(r.getUUID("client_id"), c -> new ArrayList<>()).add(new MissingRange(
                    r.getLong("first_serial"), r.getLong("last_serial"), r.getOffsetDateTime("detected_at").toInstant()));
        }
        Map<UUID, SerialTracker> trackers = new HashMap<>();
        for (Row r : stats) {
            UUID c = r.getUUID("client_id");
            trackers.put(c, new SerialTracker(r.getLong("lowest_serial"), r.getLong("highest_serial"),
                    r.getLong("messages"), r.getLong("duplicates"), ranges.getOrDefault(c, List.of())));
        }
        return trackers;
    }

    /**
     * One client's messages in serial order (serial-less ones first, in arrival order): serial
     * bookkeeping, then the newest new message per topic. A message without a serial cannot be
     * recognised as a duplicate; replaying it changes nothing, as newest-wins absorbs it.
     * <p>
     * {@code unsigned}: messages the FSP took without a signature (V19). Nobody vouched for them, so
     * they take no part in serial tracking (loaded without their serials), never complete a resync,
     * and set a topic's latest state only where no signed message does ({@code LoaderStore.UPSERT_STATE}
     * keeps the same rule against stored rows). They move the client's last-seen time only when it
     * has no identity ({@code trustUnsigned}). A chunk whose messages were all duplicates moves
     * neither that time nor the sender fields: a replayed report rolls nothing back.
     */
    private void applyClient(UUID client, List<StateMessage> messages, List<StateMessage> unsigned, boolean trustUnsigned,
                             SerialTracker tracker, String name, Sender sender, Instant now, ChunkWrites writes) {
        messages.sort(SERIAL_ORDER);
        boolean resynced = false;
        boolean seen = false;
        long serialLess = 0;
        Map<TopicOf, StateMessage> newest = new HashMap<>();
        for (StateMessage m : messages) {
            writes.processed++;
            if (!m.hasSerial()) {
                serialLess++;
            } else if (!tracker.receive(m.serialNumber(), now)) {
                writes.duplicates++;
                continue;
            }
            seen = true;
            if (m.isResyncComplete()) {
                if (m.hasSerial()) {
                    tracker.resyncCompleted(m.serialNumber());
                }
                resynced = true;
            }
            newest.merge(new TopicOf(m.topicType(), m.topicId()), m, ChunkLoader::newer);
        }
        Map<TopicOf, StateMessage> newestUnsigned = new HashMap<>();
        for (StateMessage m : unsigned) {
            writes.processed++;
            serialLess++;
            seen |= trustUnsigned;
            newestUnsigned.merge(new TopicOf(m.topicType(), m.topicId()), m.withoutSerialNumber(), ChunkLoader::newer);
        }
        for (StateMessage m : newest.values()) {
            writes.states.add(client, m, json.write(m.userParameters()), false);
        }
        for (Map.Entry<TopicOf, StateMessage> e : newestUnsigned.entrySet()) {
            if (!newest.containsKey(e.getKey())) {
                writes.states.add(client, e.getValue(), json.write(e.getValue().userParameters()), true);
            }
        }
        writes.stats.add(client, tracker, seen ? name : null, resynced, serialLess, seen ? sender : null, seen);
        if (tracker.rangesChanged()) {
            writes.ranges.replace(client, tracker.ranges());
        }
        writes.gapsOpened += tracker.gapsOpened();
        writes.gapsClosed += tracker.gapsClosed();
        if (resynced) {
            writes.resynced.add(client);
        }
    }

    private static final Comparator<StateMessage> SERIAL_ORDER =
            Comparator.comparing(StateMessage::serialNumber, Comparator.nullsFirst(Comparator.naturalOrder()));

    /**
     * {@code LoaderStore.NEWER_THAN_STORED} in Java: later MessageTime wins; at equal times a message
     * with a serial beats one without, then the higher serial; {@code b} (the later) wins a tie of
     * two serial-less messages.
     */
    static StateMessage newer(StateMessage a, StateMessage b) {
        int byTime = a.messageTime().compareTo(b.messageTime());
        if (byTime != 0) {
            return byTime > 0 ? a : b;
        }
        long sa = a.hasSerial() ? a.serialNumber() : -1;
        long sb = b.hasSerial() ? b.serialNumber() : -1;
        if (sa == -1 && sb == -1) {
            return b;
        }
        return sa >= sb ? a : b;
    }

    private record TopicOf(int type, String id) {
    }

    /** What a chunk writes, and what it counted on the way. */
    private static final class ChunkWrites {
        final StateRows states = new StateRows();
        final StatsRows stats = new StatsRows();
        final RangeRows ranges = new RangeRows();
        final List<UUID> resynced = new ArrayList<>();
        long processed;
        long duplicates;
        long gapsOpened;
        long gapsClosed;
    }
}
