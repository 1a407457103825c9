package io.statesys.relay.ingest;

import io.smallrye.mutiny.Uni;
import io.statesys.core.inbox.InboxPayload;
import io.statesys.core.report.Report;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The state system inbox, seen from the relay: one accepted report becomes one row, committed by a
 * single statement that also tells whether the client has a resync request outstanding, so the hot
 * path is exactly one round trip to Postgres.
 */
@ApplicationScoped
public class Inbox {
    static final String STORE = """
            WITH stored AS (
                INSERT INTO inbox (client_id, netbios_name, source, message_count, payload, priority, unsigned)
                VALUES ($1, $2, $3, $4, $5, $6, $7)
                RETURNING id)
            SELECT stored.id,
                   EXISTS (SELECT 1 FROM resync_request r
                           WHERE r.client_id = $1 AND r.completed_at IS NULL) AS resync_requested
            FROM stored""";

    /**
     * Many reports in one statement (the FSP's batches): one transaction, one WAL flush. Ids come
     * from the sequence in the order of the arrays, so sorted ids map back to the input.
     */
    static final String STORE_ALL = """
            WITH stored AS (
                INSERT INTO inbox (client_id, netbios_name, source, message_count, payload, priority, unsigned)
                SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::int[], $5::bytea[], $6::smallint[], $7::bool[])
                RETURNING id, client_id)
            SELECT stored.id, stored.client_id,
                   EXISTS (SELECT 1 FROM resync_request r
                           WHERE r.client_id = stored.client_id AND r.completed_at IS NULL) AS resync_requested
            FROM stored ORDER BY stored.id""";

    private final Pool pool;

    public Inbox(Pool pool) {
        this.pool = pool;
    }

    /**
     * Where a report came from: {@code source} is {@code mp} (a client) or {@code fsp} (forwarded by
     * the FSP, proven by the internal token); {@code unsigned} when the FSP forwarded it without a
     * client signature while identity is enforced, so that the loader treats it as unverified (V19).
     */
    public record Origin(String source, boolean unsigned) {
        public static final Origin CLIENT = new Origin("mp", false);
    }

    public Uni<Stored> store(Report report, Origin origin) {
        Tuple row = Tuple.tuple()
                .addUUID(report.clientId())
                .addString(report.machine().netbiosName())
                .addString(origin.source())
                .addInteger(report.messages().size())
                .addBuffer(io.vertx.mutiny.core.buffer.Buffer.newInstance(
                        Buffer.buffer(InboxPayload.encode(report.machine().sender(), report.messages()))))
                .addShort((short) report.priority())
                .addBoolean(origin.unsigned());
        return pool.preparedQuery(STORE).execute(row).map(rows -> {
            Row r = rows.iterator().next();
            return new Stored(r.getLong("id"), r.getBoolean("resync_requested"));
        });
    }

    /** Stores every report in one statement, each with its own origin; the answers are in the order of {@code reports}. */
    public Uni<java.util.List<Stored>> storeAll(java.util.List<Report> reports, java.util.List<Origin> origins) {
        int n = reports.size();
        java.util.UUID[] clients = new java.util.UUID[n];
        String[] names = new String[n];
        String[] sources = new String[n];
        Integer[] counts = new Integer[n];
        Buffer[] payloads = new Buffer[n];
        Short[] priorities = new Short[n];
        Boolean[] unsigned = new Boolean[n];
        for (int i = 0; i < n; i++) {
            Report r = reports.get(i);
            clients[i] = r.clientId();
            names[i] = r.machine().netbiosName();
            sources[i] = origins.get(i).source();
            unsigned[i] = origins.get(i).unsigned();
            counts[i] = r.messages().size();
            payloads[i] = Buffer.buffer(InboxPayload.encode(r.machine().sender(), r.messages()));
            priorities[i] = (short) r.priority();
        }
        Tuple arrays = Tuple.tuple().addArrayOfUUID(clients).addArrayOfString(names).addArrayOfString(sources)
                .addArrayOfInteger(counts).addValue(payloads).addArrayOfShort(priorities).addArrayOfBoolean(unsigned);
        return pool.preparedQuery(STORE_ALL).execute(arrays).map(rows -> {
            java.util.List<Stored> out = new java.util.ArrayList<>(n);
            for (Row r : rows) {
                if (!r.getUUID("client_id").equals(clients[out.size()])) {
                    throw new IllegalStateException("inbox ids did not follow the batch's order");
                }
                out.add(new Stored(r.getLong("id"), r.getBoolean("resync_requested")));
            }
            return out;
        });
    }

    public record Stored(long reportId, boolean resyncRequested) {
    }
}
