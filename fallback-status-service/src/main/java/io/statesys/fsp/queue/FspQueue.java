package io.statesys.fsp.queue;

import io.smallrye.mutiny.Uni;
import io.statesys.schema.FspBacklog;
import io.statesys.core.inbox.InboxPayload;
import io.statesys.core.report.Report;
import io.statesys.core.report.StateMessage;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import io.statesys.service.ingress.IngressRequest;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

/**
 * The fallback status point's durable queue: one row per unsigned message (so the throttle can
 * release exactly its budget), written for a whole report by one statement; a signed report is
 * one row of {@code fsp_signed_report}, forwarded whole with its client's signature.
 */
@ApplicationScoped
public class FspQueue {
    static final String ENQUEUE = """
            INSERT INTO fsp_queue (client_id, netbios_name, client_version, priority, serial_number, message)
            SELECT $1, $2, $3, $4, s, m FROM unnest($5::bigint[], $6::bytea[]) AS u(s, m)""";

    static final String ENQUEUE_SIGNED = """
            INSERT INTO fsp_signed_report (client_id, message_count, content_type, content_encoding, content_digest,
                                           signature_input, signature, body)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8)""";

    static final String DEPTH = "SELECT " + FspBacklog.QUEUED_MESSAGES + " AS messages, " + FspBacklog.OLDEST_AGE_SECONDS + " AS oldest";

    /** Reads the head of both queues only, so it costs the same whatever they hold. */
    static final String OLDEST = "SELECT " + FspBacklog.OLDEST_AGE_SECONDS + " AS oldest";

    private final Pool pool;

    public FspQueue(Pool pool) {
        this.pool = pool;
    }

    public Uni<Integer> enqueue(Report report) {
        List<StateMessage> messages = report.messages();
        Long[] serials = new Long[messages.size()];
        Buffer[] payloads = new Buffer[messages.size()];
        for (int i = 0; i < messages.size(); i++) {
            serials[i] = messages.get(i).serialNumber();
            // each message keeps its sender's header, so a site system is still one when forwarded
            payloads[i] = Buffer.buffer(InboxPayload.encode(report.machine().sender(), List.of(messages.get(i))));
        }
        Tuple t = Tuple.tuple().addUUID(report.clientId()).addString(report.machine().netbiosName())
                .addString(report.machine().clientVersion()).addShort((short) report.priority())
                .addValue(serials).addValue(payloads);
        return pool.preparedQuery(ENQUEUE).execute(t).map(r -> r.rowCount());
    }

    /** A signed report, kept whole with its signature fields: one row, forwarded as it came. */
    public Uni<Integer> enqueueSigned(Report report, IngressRequest request) {
        Tuple t = Tuple.tuple().addUUID(report.clientId()).addInteger(report.messages().size())
                .addString(request.contentType()).addString(request.contentEncoding())
                .addString(request.signature().contentDigest()).addString(request.signature().signatureInput())
                .addString(request.signature().signature()).addValue(Buffer.buffer(request.body()));
        return pool.preparedQuery(ENQUEUE_SIGNED).execute(t).map(r -> report.messages().size());
    }

    /** Counts what waits: it reads every queued row, so it is sampled (gauges, status), never probed. */
    public Uni<Depth> depth() {
        return pool.query(DEPTH).execute().map(rows -> {
            Row r = rows.iterator().next();
            return new Depth(r.getLong("messages"), r.getLong("oldest"));
        });
    }

    /** Age of the oldest waiting message in seconds, read from the head of the queues (a probe can afford it). */
    public Uni<Long> oldestAgeSeconds() {
        return pool.query(OLDEST).execute().map(rows -> rows.iterator().next().getLong("oldest"));
    }

    public record Depth(long messages, long oldestAgeSeconds) {
    }
}
