package io.statesys.fsp.deadletter;

import io.smallrye.mutiny.Uni;
import io.statesys.core.inbox.InboxPayload;
import io.statesys.core.report.StateMessage;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * An operator's answer to a dead letter: send its messages through the relay again (after the cause
 * was fixed, e.g. a client approved or a limit raised), or discard it. Re-queued messages go back
 * into the queue one row each, as they came, under the throttle; the dead letter is removed in the
 * same transaction, so a message is never both queued and dead, nor neither.
 */
@ApplicationScoped
public class DeadLetterActions {
    static final String TAKE = """
            DELETE FROM fsp_dead_letter WHERE id = $1
            RETURNING client_id, netbios_name, message_count, payload""";

    static final String REQUEUE = """
            INSERT INTO fsp_queue (client_id, netbios_name, client_version, priority, serial_number, message)
            SELECT $1, $2, $3, 0, s, m FROM unnest($4::bigint[], $5::bytea[]) AS u(s, m)""";

    public record Outcome(long id, String action, int messages) {
    }

    private final Pool pool;

    public DeadLetterActions(Pool pool) {
        this.pool = pool;
    }

    /** Empty when there is no such dead letter (already re-queued or discarded). */
    public Uni<Optional<Outcome>> requeue(long id) {
        return pool.withTransaction(conn -> conn.preparedQuery(TAKE).execute(Tuple.of(id)).chain(rows -> {
            if (rows.size() == 0) {
                return Uni.createFrom().item(Optional.<Outcome>empty());
            }
            Row r = rows.iterator().next();
            UUID client = r.getUUID("client_id");
            InboxPayload.Contents contents = InboxPayload.read(r.getBuffer("payload").getBytes());
            List<StateMessage> messages = contents.messages();
            if (messages.isEmpty()) {
                return Uni.createFrom().item(Optional.of(new Outcome(id, "requeued", 0)));
            }
            Long[] serials = new Long[messages.size()];
            Buffer[] payloads = new Buffer[messages.size()];
            for (int i = 0; i < messages.size(); i++) {
                serials[i] = messages.get(i).serialNumber();
                payloads[i] = Buffer.buffer(InboxPayload.encode(contents.sender(), List.of(messages.get(i))));
            }
            String version = contents.sender() == null ? null : contents.sender().clientVersion();
            return conn.preparedQuery(REQUEUE)
                    .execute(Tuple.tuple().addUUID(client).addString(r.getString("netbios_name")).addString(version)
                            .addValue(serials).addValue(payloads))
                    .map(done -> Optional.of(new Outcome(id, "requeued", done.rowCount())));
        }));
    }

    public Uni<Optional<Outcome>> discard(long id) {
        return pool.preparedQuery(TAKE).execute(Tuple.of(id)).map(rows -> rows.size() == 0 ? Optional.<Outcome>empty()
                : Optional.of(new Outcome(id, "discarded", rows.iterator().next().getInteger("message_count"))));
    }
}
