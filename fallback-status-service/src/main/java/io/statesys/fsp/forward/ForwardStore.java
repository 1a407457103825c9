package io.statesys.fsp.forward;

import io.statesys.core.inbox.InboxPayload;
import io.statesys.core.report.StateMessage;
import io.statesys.service.database.Transactions;
import io.statesys.service.retry.Backoff;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** The forwarder's statements on the FSP queue, its dead letters and its statistics. */
final class ForwardStore {
    static final String CLAIM = """
            SELECT id, client_id, netbios_name, client_version, received_at, serial_number, message, attempts
            FROM fsp_queue
            WHERE next_attempt_at <= now()
            ORDER BY id
            LIMIT $1
            FOR UPDATE SKIP LOCKED""";

    static final String DELETE = "DELETE FROM fsp_queue WHERE id = ANY($1::bigint[])";

    static final String RETRY_LATER = """
            UPDATE fsp_queue
            SET attempts = attempts + 1, last_error = $2,
                next_attempt_at = now() + make_interval(secs => LEAST($3::float8, $4::float8 * power(2, attempts)) * (0.5 + random() / 2))
            WHERE id = ANY($1::bigint[])""";

    static final String DEAD_LETTER = """
            INSERT INTO fsp_dead_letter (client_id, netbios_name, received_at, message_count, payload, relay_status, relay_answer)
            VALUES ($1, $2, $3, $4, $5, $6, $7)""";

    static final String FORWARDED = """
            UPDATE fsp_forward_stats SET forwarded = forwarded + $1, last_forward_at = now() WHERE id = 1""";

    static final String FAILED = "UPDATE fsp_forward_stats SET last_error = $1, last_error_at = now() WHERE id = 1";

    /** One queued message as claimed. */
    record QueuedMessage(long id, UUID client, String netbiosName, String clientVersion, OffsetDateTime receivedAt,
                         StateMessage message) {
        static QueuedMessage of(Row r) {
            return new QueuedMessage(r.getLong("id"), r.getUUID("client_id"), r.getString("netbios_name"),
                    r.getString("client_version"), r.getOffsetDateTime("received_at"),
                    InboxPayload.decode(r.getBuffer("message").getBytes()).get(0));
        }
    }

    private final Transactions tx;
    private final Backoff backoff;

    ForwardStore(Transactions tx, Backoff backoff) {
        this.tx = tx;
        this.backoff = backoff;
    }

    /** Locks up to {@code limit} of the oldest messages that are due, in the caller's transaction. */
    List<QueuedMessage> claim(SqlConnection conn, int limit) {
        List<QueuedMessage> out = new ArrayList<>();
        for (Row r : tx.run(conn, CLAIM, Tuple.of(limit))) {
            out.add(QueuedMessage.of(r));
        }
        return out;
    }

    void delete(SqlConnection conn, Long[] ids) {
        tx.run(conn, DELETE, Tuple.of((Object) ids));
    }

    /** The relay could not be reached: each message waits its own jittered back-off (in SQL, from its attempts). */
    void retryLater(SqlConnection conn, Long[] ids, String error) {
        tx.run(conn, RETRY_LATER, Tuple.of(ids, error, backoff.cap().toMillis() / 1000.0, backoff.base().toMillis() / 1000.0));
    }

    void deadLetter(SqlConnection conn, QueuedMessage first, List<StateMessage> messages, int relayStatus, String relayAnswer) {
        tx.run(conn, DEAD_LETTER, Tuple.tuple().addUUID(first.client()).addString(first.netbiosName())
                .addOffsetDateTime(first.receivedAt()).addInteger(messages.size())
                .addValue(Buffer.buffer(InboxPayload.encode(messages))).addInteger(relayStatus).addString(relayAnswer));
    }

    void countForwarded(SqlConnection conn, long delivered) {
        tx.run(conn, FORWARDED, Tuple.of(delivered));
    }

    /** Outside the round's transaction, so the error shows even though the round rolls nothing back. */
    void recordError(String error) {
        tx.run(FAILED, Tuple.of(error));
    }
}
