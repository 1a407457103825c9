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

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** The forwarder's statements on the FSP queue, its dead letters and its statistics. */
final class ForwardStore {
    static final String CLAIM = """
            SELECT id, client_id, netbios_name, client_version, received_at, serial_number, message, attempts, priority
            FROM fsp_queue
            WHERE next_attempt_at <= now()
            ORDER BY id
            LIMIT $1
            FOR UPDATE SKIP LOCKED""";

    static final String DELETE = "DELETE FROM fsp_queue WHERE id = ANY($1::bigint[])";

    /**
     * Signed reports, oldest first, as many as fit the grant; the oldest always goes (a report is
     * forwarded whole; what it takes beyond the grant is charged to the throttle).
     */
    static final String CLAIM_SIGNED = """
            WITH due AS (
                SELECT id, sum(message_count) OVER (ORDER BY id) AS running, row_number() OVER (ORDER BY id) AS n
                FROM fsp_signed_report WHERE next_attempt_at <= now()
                ORDER BY id LIMIT 100)
            SELECT s.id, s.client_id, s.received_at, s.message_count, s.content_type, s.content_encoding,
                   s.content_digest, s.signature_input, s.signature, s.body
            FROM fsp_signed_report s JOIN due d ON d.id = s.id
            WHERE d.running <= $1 OR d.n = 1
            ORDER BY s.id
            FOR UPDATE OF s SKIP LOCKED""";

    static final String DELETE_SIGNED = "DELETE FROM fsp_signed_report WHERE id = $1";

    static final String RETRY_SIGNED_LATER = """
            UPDATE fsp_signed_report
            SET attempts = attempts + 1, last_error = $2,
                next_attempt_at = clock_timestamp() + make_interval(secs => LEAST($3::float8, $4::float8 * power(2, attempts)) * (0.5 + random() / 2))
            WHERE id = $1""";

    static final String RETRY_LATER = """
            UPDATE fsp_queue
            SET attempts = attempts + 1, last_error = $2,
                next_attempt_at = clock_timestamp() + make_interval(secs => LEAST($3::float8, $4::float8 * power(2, attempts)) * (0.5 + random() / 2))
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

    /** Locks up to {@code limit} of the oldest messages that are due, in the caller's transaction. */
    List<QueuedMessage> claim(SqlConnection conn, int limit) {
        List<QueuedMessage> out = new ArrayList<>();
        for (Row r : tx.run(conn, CLAIM, Tuple.of(limit))) {
            out.add(QueuedMessage.of(r));
        }
        return out;
    }

    List<SignedReport> claimSigned(SqlConnection conn, int budget) {
        List<SignedReport> out = new ArrayList<>();
        for (Row r : tx.run(conn, CLAIM_SIGNED, Tuple.of(budget))) {
            out.add(SignedReport.of(r));
        }
        return out;
    }

    void deleteSigned(SqlConnection conn, long id) {
        tx.run(conn, DELETE_SIGNED, Tuple.of(id));
    }

    void retrySignedLater(SqlConnection conn, long id, String error) {
        tx.run(conn, RETRY_SIGNED_LATER, Tuple.of(id, error, backoff.cap().toMillis() / 1000.0, backoff.base().toMillis() / 1000.0));
    }

    void delete(SqlConnection conn, Long[] ids) {
        tx.run(conn, DELETE, Tuple.of((Object) ids));
    }

    /**
     * The relay could not be reached: each message waits its own jittered back-off (in SQL, from its
     * attempts), counted from now — the clock, not the transaction's start, which came before a
     * relay call that may have taken its whole timeout.
     */
    void retryLater(SqlConnection conn, Long[] ids, String error) {
        tx.run(conn, RETRY_LATER, Tuple.of(ids, error, backoff.cap().toMillis() / 1000.0, backoff.base().toMillis() / 1000.0));
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

    /** Outside the round's transaction, so the error shows even though the round rolls nothing back. */
    void recordError(String error) {
        tx.run(FAILED, Tuple.of(error));
    }
}
