package io.statesys.processor.loader;

import io.statesys.core.inbox.InboxPayload;
import io.statesys.core.report.StateMessage;
import io.statesys.processor.serials.MissingRange;
import io.statesys.processor.serials.SerialTracker;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * One chunk of the inbox, loaded in the caller's transaction: claim reports, bring each client's
 * serial statistics and missing ranges up to date, upsert latest state, mark resyncs complete,
 * remove the reports from the inbox and add to the counters. Everything is set-based (a fixed
 * number of statements per chunk whatever its size); the caller commits or rolls back the whole.
 * <p>
 * Two loaders never work on one client at the same time: the client's statistics row is locked
 * (in client order) before its serials are read, so concurrent chunks for one client serialise.
 */
final class LoaderChunk {
    static final String CLAIM_NEXT = """
            SELECT id, client_id, netbios_name, received_at, attempts, message_count, payload, now() AS tx_now
            FROM inbox
            WHERE not_before <= now()
            ORDER BY id
            LIMIT $1
            FOR UPDATE SKIP LOCKED""";

    static final String CLAIM_ONE = """
            SELECT id, client_id, netbios_name, received_at, attempts, message_count, payload, now() AS tx_now
            FROM inbox
            WHERE id = $1
            FOR UPDATE SKIP LOCKED""";

    static final String ENSURE_STATS = """
            INSERT INTO client_message_stats (client_id, lowest_serial, highest_serial)
            SELECT c, -1, -1 FROM unnest($1::uuid[]) AS c ORDER BY c
            ON CONFLICT (client_id) DO NOTHING""";

    static final String LOCK_STATS = """
            SELECT client_id, lowest_serial, highest_serial, messages, duplicates
            FROM client_message_stats
            WHERE client_id = ANY($1::uuid[])
            ORDER BY client_id
            FOR UPDATE""";

    static final String LOAD_RANGES = """
            SELECT client_id, first_serial, last_serial, detected_at
            FROM missing_range
            WHERE client_id = ANY($1::uuid[])""";

    static final String UPSERT_STATE = """
            INSERT INTO topic_state AS t (client_id, topic_type, topic_id, id_type, state_id, criticality,
                                          message_time, serial_number, user_params, updated_at)
            SELECT c, tt, ti, it, si, cr, mt, sn, p::jsonb, now()
            FROM unnest($1::uuid[], $2::int[], $3::text[], $4::int[], $5::int[], $6::int[],
                        $7::timestamptz[], $8::bigint[], $9::text[]) AS u(c, tt, ti, it, si, cr, mt, sn, p)
            ON CONFLICT (client_id, topic_type, topic_id) DO UPDATE
            SET id_type = excluded.id_type, state_id = excluded.state_id, criticality = excluded.criticality,
                message_time = excluded.message_time, serial_number = excluded.serial_number,
                user_params = excluded.user_params, updated_at = excluded.updated_at
            WHERE (excluded.message_time, excluded.serial_number) > (t.message_time, t.serial_number)""";

    static final String UPDATE_STATS = """
            UPDATE client_message_stats s
            SET lowest_serial = u.lo, highest_serial = u.hi, messages = u.m, duplicates = u.d,
                netbios_name = coalesce(u.name, s.netbios_name), last_seen = now(),
                last_resync_client_completed_time =
                    CASE WHEN u.resynced THEN now() ELSE s.last_resync_client_completed_time END
            FROM unnest($1::uuid[], $2::bigint[], $3::bigint[], $4::bigint[], $5::bigint[], $6::text[], $7::bool[])
                 AS u(c, lo, hi, m, d, name, resynced)
            WHERE s.client_id = u.c""";

    static final String DELETE_RANGES = "DELETE FROM missing_range WHERE client_id = ANY($1::uuid[])";

    static final String INSERT_RANGES = """
            INSERT INTO missing_range (client_id, first_serial, last_serial, detected_at)
            SELECT * FROM unnest($1::uuid[], $2::bigint[], $3::bigint[], $4::timestamptz[])""";

    static final String COMPLETE_RESYNCS = """
            UPDATE resync_request SET completed_at = now()
            WHERE client_id = ANY($1::uuid[]) AND completed_at IS NULL""";

    static final String DELETE_INBOX = "DELETE FROM inbox WHERE id = ANY($1::bigint[])";

    static final String INSERT_INVALID = """
            INSERT INTO invalid_record (inbox_id, client_id, received_at, attempts, message_count, reason, payload)
            VALUES ($1, $2, $3, $4, $5, $6, $7)""";

    static final String ADD_COUNTERS = """
            INSERT INTO loader_counter AS k (shard, reports, processed, invalid, duplicates, updated_at)
            VALUES ($1, $2, $3, $4, $5, now())
            ON CONFLICT (shard) DO UPDATE
            SET reports = k.reports + excluded.reports, processed = k.processed + excluded.processed,
                invalid = k.invalid + excluded.invalid, duplicates = k.duplicates + excluded.duplicates,
                updated_at = now()""";

    private static final Duration STATEMENT_WAIT = Duration.ofMinutes(2);

    private final String shard;
    private final UserParamsJson json;

    LoaderChunk(String shard, UserParamsJson json) {
        this.shard = shard;
        this.json = json;
    }

    /** Claims up to {@code limit} reports in arrival order and loads them. */
    ChunkResult loadNext(SqlConnection conn, int limit) {
        lastClaimed = List.of();
        return load(conn, run(conn, CLAIM_NEXT, Tuple.of(limit)));
    }

    /** Claims one given report (used to isolate a poisoned record from the rest of its chunk). */
    ChunkResult loadOne(SqlConnection conn, long inboxId) {
        lastClaimed = List.of();
        return load(conn, run(conn, CLAIM_ONE, Tuple.of(inboxId)));
    }

    /** The ids a claim would take, for bookkeeping when the chunk must be retried later. */
    static List<Long> ids(RowSet<Row> claimed) {
        List<Long> ids = new ArrayList<>();
        for (Row r : claimed) {
            ids.add(r.getLong("id"));
        }
        return ids;
    }

    private ChunkResult load(SqlConnection conn, RowSet<Row> claimed) {
        if (claimed.size() == 0) {
            return ChunkResult.NOTHING;
        }
        Instant now = null;
        List<InboxRecord> records = new ArrayList<>(claimed.size());
        for (Row r : claimed) {
            now = r.getOffsetDateTime("tx_now").toInstant();
            records.add(new InboxRecord(r.getLong("id"), r.getUUID("client_id"), r.getString("netbios_name"),
                    r.getOffsetDateTime("received_at"), r.getInteger("attempts"), r.getInteger("message_count"),
                    r.getBuffer("payload").getBytes()));
        }
        lastClaimed = ids(claimed);

        // Decode; a payload that cannot be read is poison: kept in invalid records, never retried.
        Map<UUID, List<StateMessage>> byClient = new TreeMap<>();
        Map<UUID, String> names = new HashMap<>();
        long invalid = 0;
        for (InboxRecord rec : records) {
            try {
                List<StateMessage> messages = InboxPayload.decode(rec.payload());
                byClient.computeIfAbsent(rec.clientId(), c -> new ArrayList<>()).addAll(messages);
                if (rec.netbiosName() != null) {
                    names.put(rec.clientId(), rec.netbiosName());
                }
            } catch (InboxPayload.CorruptPayloadException e) {
                invalidate(conn, rec, "corrupt inbox payload: " + e.getMessage());
                invalid += rec.messageCount();
            }
        }

        Batch batch = new Batch();
        if (!byClient.isEmpty()) {
            UUID[] clients = byClient.keySet().toArray(new UUID[0]);
            run(conn, ENSURE_STATS, Tuple.of(clients));
            Map<UUID, SerialTracker> trackers = trackers(conn, clients);
            for (Map.Entry<UUID, List<StateMessage>> e : byClient.entrySet()) {
                applyClient(e.getKey(), e.getValue(), trackers.get(e.getKey()), names.get(e.getKey()), now, batch);
            }
            writeStates(conn, batch);
            writeStats(conn, batch);
            writeRanges(conn, batch);
            if (!batch.resynced.isEmpty()) {
                run(conn, COMPLETE_RESYNCS, Tuple.of(batch.resynced.toArray(new UUID[0])));
            }
        }
        run(conn, DELETE_INBOX, Tuple.of(lastClaimed.toArray(new Long[0])));
        run(conn, ADD_COUNTERS, Tuple.of(shard, (long) records.size(), batch.processed, invalid, batch.duplicates));
        return new ChunkResult(records.size(), batch.processed, batch.duplicates, invalid, batch.gapsOpened,
                batch.gapsClosed);
    }

    private List<Long> lastClaimed = List.of();

    /** Ids of the reports the last claim took (valid after a failure too, for retry bookkeeping). */
    List<Long> lastClaimed() {
        return lastClaimed;
    }

    /** Locks the clients' statistics rows first, then reads their ranges: both as of the lock. */
    private Map<UUID, SerialTracker> trackers(SqlConnection conn, UUID[] clients) {
        RowSet<Row> stats = run(conn, LOCK_STATS, Tuple.of((Object) clients));
        Map<UUID, List<MissingRange>> ranges = new HashMap<>();
        for (Row r : run(conn, LOAD_RANGES, Tuple.of((Object) clients))) {
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
    private void applyClient(UUID client, List<StateMessage> messages, SerialTracker tracker, String name, Instant now, Batch batch) {
        messages.sort(Comparator.comparingLong(StateMessage::serialNumber));
        boolean resynced = false;
        Map<TopicKeyOf, StateMessage> newest = new HashMap<>();
        for (StateMessage m : messages) {
            batch.processed++;
            if (!tracker.receive(m.serialNumber(), now)) {
                batch.duplicates++;
                continue;
            }
            if (m.isResyncComplete()) {
                tracker.resyncCompleted(m.serialNumber());
                resynced = true;
            }
            newest.merge(new TopicKeyOf(m.topicType(), m.topicId()), m, LoaderChunk::newer);
        }
        for (StateMessage m : newest.values()) {
            batch.addState(client, m, json.write(m.userParameters()));
        }
        batch.addStats(client, tracker, name, resynced);
        if (tracker.rangesChanged()) {
            batch.addRanges(client, tracker.ranges());
        }
        batch.gapsOpened += tracker.gapsOpened();
        batch.gapsClosed += tracker.gapsClosed();
        if (resynced) {
            batch.resynced.add(client);
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

    private void writeStates(SqlConnection conn, Batch b) {
        if (b.stClient.isEmpty()) {
            return;
        }
        run(conn, UPSERT_STATE, Tuple.tuple()
                .addValue(b.stClient.toArray(new UUID[0]))
                .addValue(b.stType.toArray(new Integer[0]))
                .addValue(b.stTopic.toArray(new String[0]))
                .addValue(b.stIdType.toArray(new Integer[0]))
                .addValue(b.stState.toArray(new Integer[0]))
                .addValue(b.stCrit.toArray(new Integer[0]))
                .addValue(b.stTime.toArray(new OffsetDateTime[0]))
                .addValue(b.stSerial.toArray(new Long[0]))
                .addValue(b.stParams.toArray(new String[0])));
    }

    private void writeStats(SqlConnection conn, Batch b) {
        run(conn, UPDATE_STATS, Tuple.tuple()
                .addValue(b.scClient.toArray(new UUID[0]))
                .addValue(b.scLow.toArray(new Long[0]))
                .addValue(b.scHigh.toArray(new Long[0]))
                .addValue(b.scMessages.toArray(new Long[0]))
                .addValue(b.scDuplicates.toArray(new Long[0]))
                .addValue(b.scName.toArray(new String[0]))
                .addValue(b.scResynced.toArray(new Boolean[0])));
    }

    private void writeRanges(SqlConnection conn, Batch b) {
        if (b.rangeClients.isEmpty()) {
            return;
        }
        run(conn, DELETE_RANGES, Tuple.of((Object) b.rangeClients.toArray(new UUID[0])));
        if (!b.rgClient.isEmpty()) {
            run(conn, INSERT_RANGES, Tuple.tuple()
                    .addValue(b.rgClient.toArray(new UUID[0]))
                    .addValue(b.rgFirst.toArray(new Long[0]))
                    .addValue(b.rgLast.toArray(new Long[0]))
                    .addValue(b.rgDetected.toArray(new OffsetDateTime[0])));
        }
    }

    private void invalidate(SqlConnection conn, InboxRecord rec, String reason) {
        run(conn, INSERT_INVALID, Tuple.tuple().addLong(rec.id()).addUUID(rec.clientId()).addOffsetDateTime(rec.receivedAt())
                .addInteger(rec.attempts()).addInteger(rec.messageCount()).addString(reason).addValue(Buffer.buffer(rec.payload())));
    }

    static RowSet<Row> run(SqlConnection conn, String sql, Tuple params) {
        return conn.preparedQuery(sql).execute(params).await().atMost(STATEMENT_WAIT);
    }

    private record TopicKeyOf(int type, String id) {
    }

    /** Column arrays for the chunk's set-based statements. */
    private static final class Batch {
        long processed;
        long duplicates;
        long gapsOpened;
        long gapsClosed;
        final List<UUID> resynced = new ArrayList<>();

        final List<UUID> stClient = new ArrayList<>();
        final List<Integer> stType = new ArrayList<>();
        final List<String> stTopic = new ArrayList<>();
        final List<Integer> stIdType = new ArrayList<>();
        final List<Integer> stState = new ArrayList<>();
        final List<Integer> stCrit = new ArrayList<>();
        final List<OffsetDateTime> stTime = new ArrayList<>();
        final List<Long> stSerial = new ArrayList<>();
        final List<String> stParams = new ArrayList<>();

        final List<UUID> scClient = new ArrayList<>();
        final List<Long> scLow = new ArrayList<>();
        final List<Long> scHigh = new ArrayList<>();
        final List<Long> scMessages = new ArrayList<>();
        final List<Long> scDuplicates = new ArrayList<>();
        final List<String> scName = new ArrayList<>();
        final List<Boolean> scResynced = new ArrayList<>();

        final List<UUID> rangeClients = new ArrayList<>();
        final List<UUID> rgClient = new ArrayList<>();
        final List<Long> rgFirst = new ArrayList<>();
        final List<Long> rgLast = new ArrayList<>();
        final List<OffsetDateTime> rgDetected = new ArrayList<>();

        void addState(UUID client, StateMessage m, String params) {
            stClient.add(client);
            stType.add(m.topicType());
            stTopic.add(m.topicId());
            stIdType.add(m.idType());
            stState.add(m.stateId());
            stCrit.add(m.criticality());
            stTime.add(m.messageTime().atOffset(ZoneOffset.UTC));
            stSerial.add(m.serialNumber());
            stParams.add(params);
        }

        void addStats(UUID client, SerialTracker t, String name, boolean resynced) {
            scClient.add(client);
            scLow.add(t.lowest());
            scHigh.add(t.highest());
            scMessages.add(t.messages());
            scDuplicates.add(t.duplicates());
            scName.add(name);
            scResynced.add(resynced);
        }

        void addRanges(UUID client, List<MissingRange> ranges) {
            rangeClients.add(client);
            for (MissingRange r : ranges) {
                rgClient.add(client);
                rgFirst.add(r.first());
                rgLast.add(r.last());
                rgDetected.add(r.detectedAt().atOffset(ZoneOffset.UTC));
            }
        }
    }
}
