package io.statesys.fsp.forward;

import io.statesys.core.inbox.InboxPayload;
import io.statesys.core.report.Sender;
import io.statesys.core.report.StateMessage;
import io.statesys.core.codec.ReportLimits;
import io.statesys.service.database.Transactions;
import io.statesys.service.ingress.ReportIntake;
import io.statesys.service.retry.Backoff;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

/** The forwarder's statements on the FSP queue, its dead letters and its statistics. */
final class ForwardStore {
    /**
     * Leases the due messages in the order they became due (a new message is due when it arrives,
     * one that backed off when its wait is over): they are not due again for {@code $2} seconds, so
     * the relay is called with no transaction open, and another replica (or this one after a crash)
     * takes them up only once the lease has run out. What the relay took before such a crash is
     * forwarded again, and the processor counts it as duplicates. The order is the due index's
     * (V18): the statement reads only what it leases, however many messages wait in back-off.
     */
    static final String LEASE = """
            WITH due AS (
                SELECT id FROM fsp_queue
                WHERE next_attempt_at <= now()
                ORDER BY next_attempt_at, id
                LIMIT $1
                FOR UPDATE SKIP LOCKED)
            UPDATE fsp_queue q SET next_attempt_at = now() + make_interval(secs => $2::float8)
            FROM due WHERE q.id = due.id
            RETURNING q.id, q.client_id, q.netbios_name, q.client_version, q.received_at, q.serial_number, q.message,
                      q.attempts, q.priority""";

    static final String DELETE = "DELETE FROM fsp_queue WHERE id = ANY($1::bigint[])";

    /**
     * Whether anything is due, read without a lock or a write. An idle forwarder asks four times a
     * second; before this it took throttle budget and gave it back to learn the queue was empty —
     * two committed updates, each a WAL flush that the relay's commits queued behind.
     */
    static final String ANYTHING_DUE = """
            SELECT EXISTS (SELECT 1 FROM fsp_signed_report WHERE next_attempt_at <= now())
                OR EXISTS (SELECT 1 FROM fsp_queue WHERE next_attempt_at <= now()) AS due""";

    /**
     * Signed reports in the order they became due, as many as fit the grant; the first always goes
     * (a report is forwarded whole; what it takes beyond the grant is charged to the throttle). Read
     * in the due index's order, like {@link #LEASE}.
     */
    static final String LEASE_SIGNED = """
            WITH due AS (
                SELECT id, sum(message_count) OVER w AS running, row_number() OVER w AS n
                FROM fsp_signed_report WHERE next_attempt_at <= now()
                WINDOW w AS (ORDER BY next_attempt_at, id)
                ORDER BY next_attempt_at, id LIMIT 100),
            taken AS (
                SELECT s.id FROM fsp_signed_report s JOIN due d ON d.id = s.id
                WHERE d.running <= $1 OR d.n = 1
                FOR UPDATE OF s SKIP LOCKED)
            UPDATE fsp_signed_report s SET next_attempt_at = now() + make_interval(secs => $2::float8)
            FROM taken WHERE s.id = taken.id
            RETURNING s.id, s.client_id, s.received_at, s.message_count, s.content_type, s.content_encoding,
                      s.content_digest, s.signature_input, s.signature, s.body""";

    static final String DELETE_SIGNED = "DELETE FROM fsp_signed_report WHERE id = ANY($1::bigint[])";

    static final String RETRY_SIGNED_LATER = """
            UPDATE fsp_signed_report
            SET attempts = attempts + 1, last_error = $2,
                next_attempt_at = clock_timestamp() + make_interval(secs => LEAST($3::float8, $4::float8 * power(2, attempts)) * (0.5 + random() / 2))
            WHERE id = ANY($1::bigint[])""";

    static final String RETRY_LATER = """
            UPDATE fsp_queue
            SET attempts = attempts + 1, last_error = $2,
                next_attempt_at = clock_timestamp() + make_interval(secs => LEAST($3::float8, $4::float8 * power(2, attempts)) * (0.5 + random() / 2))
            WHERE id = ANY($1::bigint[])""";

    /**
     * The relay was busy: due again once its Retry-After has passed, with attempts and back-off
     * untouched — the relay answered, it did not fail.
     */
    static final String DUE_AGAIN_AFTER = """
            UPDATE fsp_queue SET next_attempt_at = clock_timestamp() + make_interval(secs => $2::float8)
            WHERE id = ANY($1::bigint[])""";

    static final String SIGNED_DUE_AGAIN_AFTER = """
            UPDATE fsp_signed_report SET next_attempt_at = clock_timestamp() + make_interval(secs => $2::float8)
            WHERE id = ANY($1::bigint[])""";

    static final String DEAD_LETTER = """
            INSERT INTO fsp_dead_letter (client_id, netbios_name, received_at, message_count, payload, relay_status, relay_answer)
            VALUES ($1, $2, $3, $4, $5, $6, $7)""";

    static final String FORWARDED = """
            UPDATE fsp_forward_stats SET forwarded = forwarded + $1, last_forward_at = now() WHERE id = 1""";

    static final String FAILED = "UPDATE fsp_forward_stats SET last_error = $1, last_error_at = now() WHERE id = 1";

    /** One queued message as claimed. */
    /** One queued message as claimed, with how its sender described itself and its report's priority. */
    record QueuedMessage(long id, UUID client, String netbiosName, String clientVersion, OffsetDateTime receivedAt,
                         StateMessage message, Sender sender, int priority) {
        static QueuedMessage of(Row r) {
            InboxPayload.Contents contents = InboxPayload.read(r.getBuffer("message").getBytes());
            return new QueuedMessage(r.getLong("id"), r.getUUID("client_id"), r.getString("netbios_name"),
                    r.getString("client_version"), r.getOffsetDateTime("received_at"), contents.messages().get(0),
                    contents.sender(), r.getInteger("priority"));
        }
    }

    /** One signed report as the client sent it. */
    record SignedReport(long id, UUID client, OffsetDateTime receivedAt, int messageCount, String contentType,
                        String contentEncoding, String contentDigest, String signatureInput, String signature, byte[] body) {
        static SignedReport of(Row r) {
            return new SignedReport(r.getLong("id"), r.getUUID("client_id"), r.getOffsetDateTime("received_at"),
                    r.getInteger("message_count"), r.getString("content_type"), r.getString("content_encoding"),
                    r.getString("content_digest"), r.getString("signature_input"), r.getString("signature"),
                    r.getBuffer("body").getBytes());
        }
    }

    /** Re-reads a signed report for its dead letter (it passed the limits at intake). */
    private static final ReportIntake READER = new ReportIntake(new ReportLimits(Long.MAX_VALUE, Integer.MAX_VALUE));

    private final Transactions tx;
    private final Backoff backoff;

    ForwardStore(Transactions tx, Backoff backoff) {
        this.tx = tx;
        this.backoff = backoff;
    }

    boolean anythingDue() {
        return tx.run(ANYTHING_DUE, Tuple.tuple()).iterator().next().getBoolean("due");
    }

    /** Leases up to {@code limit} due messages for {@code lease} (one statement, committed at once). */
    List<QueuedMessage> lease(SqlConnection conn, int limit, Duration lease) {
        List<QueuedMessage> out = new ArrayList<>();
        for (Row r : tx.run(conn, LEASE, Tuple.of(limit, lease.toMillis() / 1000.0))) {
            out.add(QueuedMessage.of(r));
        }
        out.sort(Comparator.comparingLong(QueuedMessage::id)); // RETURNING has no order
        return out;
    }

    /** Leases the due signed reports that fit {@code budget} messages (the first due always). */
    List<SignedReport> leaseSigned(SqlConnection conn, int budget, Duration lease) {
        List<SignedReport> out = new ArrayList<>();
        for (Row r : tx.run(conn, LEASE_SIGNED, Tuple.of(budget, lease.toMillis() / 1000.0))) {
            out.add(SignedReport.of(r));
        }
        out.sort(Comparator.comparingLong(SignedReport::id));
        return out;
    }

    void deleteSigned(SqlConnection conn, Long[] ids) {
        if (ids.length > 0) {
            tx.run(conn, DELETE_SIGNED, Tuple.of((Object) ids));
        }
    }

    void retrySignedLater(SqlConnection conn, Long[] ids, String error) {
        if (ids.length > 0) {
            tx.run(conn, RETRY_SIGNED_LATER, Tuple.of(ids, error, backoff.cap().toMillis() / 1000.0, backoff.base().toMillis() / 1000.0));
        }
    }

    void delete(SqlConnection conn, Long[] ids) {
        if (ids.length > 0) {
            tx.run(conn, DELETE, Tuple.of((Object) ids));
        }
    }

    /**
     * The relay could not be reached: each message waits its own jittered back-off (in SQL, from its
     * attempts), counted from now — the clock, not the transaction's start, which came before a
     * relay call that may have taken its whole timeout.
     */
    void retryLater(SqlConnection conn, Long[] ids, String error) {
        if (ids.length == 0) {
            return;
        }
        tx.run(conn, RETRY_LATER, Tuple.of(ids, error, backoff.cap().toMillis() / 1000.0, backoff.base().toMillis() / 1000.0));
    }

    /** Leased messages and signed reports the relay was too busy to take: due again after {@code wait}. */
    void dueAgainAfter(SqlConnection conn, Long[] ids, Long[] signedIds, Duration wait) {
        double seconds = wait.toMillis() / 1000.0;
        if (ids.length > 0) {
            tx.run(conn, DUE_AGAIN_AFTER, Tuple.of(ids, seconds));
        }
        if (signedIds.length > 0) {
            tx.run(conn, SIGNED_DUE_AGAIN_AFTER, Tuple.of(signedIds, seconds));
        }
    }

    void deadLetter(SqlConnection conn, QueuedMessage first, List<StateMessage> messages, int relayStatus, String relayAnswer) {
        tx.run(conn, DEAD_LETTER, Tuple.tuple().addUUID(first.client()).addString(first.netbiosName())
                .addOffsetDateTime(first.receivedAt()).addInteger(messages.size())
                .addValue(Buffer.buffer(InboxPayload.encode(messages))).addInteger(relayStatus).addString(relayAnswer));
    }

    /** The relay refused a signed report for good: its messages go to dead letters like any other. */
    void deadLetterSigned(SqlConnection conn, SignedReport s, int relayStatus, String relayAnswer) {
        List<StateMessage> messages;
        try {
            messages = READER.read(s.contentType(), s.contentEncoding(), s.body()).messages();
        } catch (RuntimeException e) {
            messages = List.of(); // it was read at intake; kept with an empty payload rather than lost from view
        }
        tx.run(conn, DEAD_LETTER, Tuple.tuple().addUUID(s.client()).addString(null)
                .addOffsetDateTime(s.receivedAt()).addInteger(s.messageCount())
                .addValue(Buffer.buffer(InboxPayload.encode(messages))).addInteger(relayStatus).addString(relayAnswer));
    }

    void countForwarded(SqlConnection conn, long delivered) {
        tx.run(conn, FORWARDED, Tuple.of(delivered));
    }

    /**
     * In the settling transaction, on its connection: that transaction may already hold the
     * statistics row (it counted what was forwarded), and a second connection would wait for it.
     */
    void recordError(SqlConnection conn, String error) {
        tx.run(conn, FAILED, Tuple.of(error));
    }
}
