package io.statesys.console.fsp;

import io.quarkus.qute.TemplateData;
import io.smallrye.mutiny.Uni;
import io.statesys.core.inbox.InboxPayload;
import io.statesys.core.report.ClientId;
import io.statesys.core.report.StateMessage;
import io.statesys.console.Page;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The FSP's dead letters, read for the console (the FSP itself re-queues or discards them). */
@ApplicationScoped
public class DeadLetterStore {
    static final String RECENT = """
            SELECT id, client_id, netbios_name, received_at, dead_at, message_count, relay_status, relay_answer
            FROM fsp_dead_letter ORDER BY id DESC LIMIT 100""";

    static final String ONE = """
            SELECT id, client_id, netbios_name, received_at, dead_at, message_count, relay_status, relay_answer, payload
            FROM fsp_dead_letter WHERE id = $1""";

    @TemplateData
    public record DeadLetter(long id, String clientId, String netbiosName, String receivedAt, String deadAt, int messages,
                             Integer relayStatus, String relayAnswer) {
        static DeadLetter of(Row r) {
            return new DeadLetter(r.getLong("id"), ClientId.format(r.getUUID("client_id")), r.getString("netbios_name"),
                    Page.time(r.getOffsetDateTime("received_at")), Page.time(r.getOffsetDateTime("dead_at")), r.getInteger("message_count"),
                    r.getInteger("relay_status"), r.getString("relay_answer"));
        }
    }

    @TemplateData
    public record Message(String messageTime, Long serialNumber, int topicType, String topicId, int stateId, List<String> userParameters) {
    }

    @TemplateData
    public record Inspected(DeadLetter deadLetter, List<Message> messages) {
    }

    private final Pool pool;

    public DeadLetterStore(Pool pool) {
        this.pool = pool;
    }

    public Uni<List<DeadLetter>> recent() {
        return pool.query(RECENT).execute().map(rows -> {
            List<DeadLetter> out = new ArrayList<>();
            for (Row r : rows) {
                out.add(DeadLetter.of(r));
            }
            return out;
        });
    }

    public Uni<Optional<Inspected>> one(long id) {
        return pool.preparedQuery(ONE).execute(Tuple.of(id)).map(rows -> {
            if (rows.size() == 0) {
                return Optional.empty();
            }
            Row r = rows.iterator().next();
            List<Message> messages = new ArrayList<>();
            for (StateMessage m : InboxPayload.read(r.getBuffer("payload").getBytes()).messages()) {
                messages.add(new Message(Page.time(m.messageTime()), m.serialNumber(), m.topicType(), m.topicId(), m.stateId(), m.userParameters()));
            }
            return Optional.of(new Inspected(DeadLetter.of(r), messages));
        });
    }
}
