package io.statesys.processor;

import io.statesys.core.inbox.InboxPayload;
import io.statesys.core.report.Sender;
import io.statesys.core.report.StateMessage;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Puts reports into the inbox exactly as the relay does, and reads back what the loader made of them. */
@ApplicationScoped
public class InboxFixture {
    private final Pool pool;

    public InboxFixture(Pool pool) {
        this.pool = pool;
    }

    /** Commits one report and NOTIFYs the loaders, as the relay does. */
    public long put(UUID client, List<StateMessage> messages) {
        return put(client, messages, 0, Sender.UNKNOWN);
    }

    /** A report with a priority and its sender's header, as the relay writes one. */
    public long put(UUID client, List<StateMessage> messages, int priority, Sender sender) {
        long id = query("""
                INSERT INTO inbox (client_id, netbios_name, message_count, payload, priority)
                VALUES ($1, 'WKS-TEST', $2, $3, $4) RETURNING id""",
                Tuple.of(client, messages.size(), Buffer.buffer(InboxPayload.encode(sender, messages)), (short) priority))
                .iterator().next().getLong(0);
        query("NOTIFY statesys_inbox");
        return id;
    }

    /** A report the FSP forwarded without a client signature (the relay marks it so, V19), under a NetBIOS name. */
    public long putUnsigned(UUID client, List<StateMessage> messages, String netbiosName, Sender sender) {
        long id = query("""
                INSERT INTO inbox (client_id, netbios_name, message_count, payload, source, unsigned)
                VALUES ($1, $2, $3, $4, 'fsp', true) RETURNING id""",
                Tuple.of(client, netbiosName, messages.size(), Buffer.buffer(InboxPayload.encode(sender, messages))))
                .iterator().next().getLong(0);
        query("NOTIFY statesys_inbox");
        return id;
    }

    /** Gives the client an identity row, as registration does (the key is not used by the loader). */
    public void register(UUID client) {
        query("""
                INSERT INTO client_identity (client_id, algorithm, public_key, key_fingerprint, status)
                VALUES ($1, 'ed25519', '\\x00', 'test', 'approved')""", Tuple.of(client));
    }

    public long putRaw(UUID client, int messageCount, byte[] payload) {
        return query("INSERT INTO inbox (client_id, message_count, payload) VALUES ($1, $2, $3) RETURNING id",
                Tuple.of(client, messageCount, Buffer.buffer(payload))).iterator().next().getLong(0);
    }

    public RowSet<Row> query(String sql, Tuple params) {
        return pool.preparedQuery(sql).execute(params).await().indefinitely();
    }

    public RowSet<Row> query(String sql) {
        return pool.query(sql).execute().await().indefinitely();
    }

    public long count(String sql, Object... params) {
        return query(sql, Tuple.from(params)).iterator().next().getLong(0);
    }

    public List<long[]> ranges(UUID client) {
        List<long[]> out = new ArrayList<>();
        for (Row r : query("SELECT first_serial, last_serial FROM missing_range WHERE client_id = $1 ORDER BY first_serial", Tuple.of(client))) {
            out.add(new long[] {r.getLong(0), r.getLong(1)});
        }
        return out;
    }

    public Row stats(UUID client) {
        return query("SELECT * FROM client_message_stats WHERE client_id = $1", Tuple.of(client)).iterator().next();
    }

    public Row state(UUID client, int topicType, String topicId) {
        RowSet<Row> rows = query("SELECT * FROM topic_state WHERE client_id = $1 AND topic_type = $2 AND topic_id = $3",
                Tuple.of(client, topicType, topicId));
        return rows.size() == 0 ? null : rows.iterator().next();
    }

    public static StateMessage detection(long serial, String update, int state, Instant at) {
        return new StateMessage(at, serial, 500, update, 3, state, 0, List.of("102"));
    }

    public static StateMessage resyncComplete(long serial, Instant at) {
        return new StateMessage(at, serial, 700, "resync", 0, 2, 0, List.of());
    }
}
