package io.statesys.processor.loader;

import io.statesys.core.inbox.InboxPayload;
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

    private ChunkResult load(SqlConnection conn, RowSet<Row> claimed) {
        if (claimed.size() == 0) {
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
        Map<UUID, String> names = new HashMap<>();
        long invalid = 0;
        for (InboxRecord rec : records) {
            try {
                byClient.computeIfAbsent(rec.clientId(), c -> new ArrayList<>()).addAll(InboxPayload.decode(rec.payload()));
                if (rec.netbiosName() != null) {
                    names.put(rec.clientId(), rec.netbiosName());
                }
            } catch (InboxPayload.CorruptPayloadException e) {
                store.invalidate(conn, rec, "corrupt inbox payload: " + e.getMessage());
                invalid += rec.messageCount();
            }
        }

        ChunkWrites writes = new ChunkWrites();
        if (!byClient.isEmpty()) {
            Map<UUID, SerialTracker> trackers = trackers(conn, byClient.keySet().toArray(new UUID[0]));
            for (Map.Entry<UUID, List<StateMessage>> e : byClient.entrySet()) {
                applyClient(e.getKey(), e.getValue(), trackers.get(e.getKey()), names.get(e.getKey()), now, writes);
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

    /** One client's messages in serial order: serial bookkeeping, then the newest new message per topic. */
    private void applyClient(UUID client, List<StateMessage> messages, SerialTracker tracker, String name, Instant now,
                             ChunkWrites writes) {
        messages.sort(Comparator.comparingLong(StateMessage::serialNumber));
        boolean resynced = false;
        Map<TopicOf, StateMessage> newest = new HashMap<>();
        for (StateMessage m : messages) {
            writes.processed++;
            if (!tracker.receive(m.serialNumber(), now)) {
                writes.duplicates++;
                continue;
            }
            if (m.isResyncComplete()) {
                tracker.resyncCompleted(m.serialNumber());
                resynced = true;
            }
            newest.merge(new TopicOf(m.topicType(), m.topicId()), m, ChunkLoader::newer);
        }
        for (StateMessage m : newest.values()) {
            writes.states.add(client, m, json.write(m.userParameters()));
        }
        writes.stats.add(client, tracker, name, resynced);
        if (tracker.rangesChanged()) {
            writes.ranges.replace(client, tracker.ranges());
        }
        writes.gapsOpened += tracker.gapsOpened();
        writes.gapsClosed += tracker.gapsClosed();
        if (resynced) {
            writes.resynced.add(client);
        }
    }

    /** Later MessageTime wins; equal times go to the higher serial (the same rule the upsert applies). */
    static StateMessage newer(StateMessage a, StateMessage b) {
        int byTime = a.messageTime().compareTo(b.messageTime());
        if (byTime != 0) {
            return byTime > 0 ? a : b;
        }
        return a.serialNumber() >= b.serialNumber() ? a : b;
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
