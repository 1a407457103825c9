package io.statesys.console.refused;

import io.quarkus.qute.TemplateData;
import io.smallrye.mutiny.Uni;
import io.statesys.core.report.ClientId;
import io.statesys.console.Page;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Refused reports (kept bodies) and the loader's invalid records. */
@ApplicationScoped
public class RefusedStore {
    static final String RECENT = """
            SELECT id, received_at, service, reason, detail, coalesce(client_id, claimed_client_id) AS client_id,
                   client_id IS NOT NULL AS verified, content_type, content_encoding, coalesce(body_size, octet_length(body)) AS size
            FROM bad_report WHERE ($1::text IS NULL OR reason = $1) ORDER BY id DESC LIMIT 100""";

    static final String REASONS = """
            SELECT reason, count(*) AS n, max(received_at) AS last FROM bad_report GROUP BY reason ORDER BY n DESC LIMIT 50""";

    static final String ONE = """
            SELECT id, received_at, service, reason, detail, coalesce(client_id, claimed_client_id) AS client_id,
                   client_id IS NOT NULL AS verified, content_type, content_encoding, coalesce(body_size, octet_length(body)) AS size, body
            FROM bad_report WHERE id = $1""";

    static final String INVALID = """
            SELECT id, inbox_id, client_id, received_at, failed_at, attempts, message_count, reason FROM invalid_record
            ORDER BY id DESC LIMIT 50""";

    /**
     * {@code clientId}: the client the refusal is attributed to ({@code verified}: its signature
     * verified) or merely the one the body names; {@code size}: the body's size as sent (a prefix is kept).
     */
    @TemplateData
    public record Refused(long id, String receivedAt, String service, String reason, String detail, String clientId, String contentType,
                          String contentEncoding, Integer size, boolean verified) {
        static Refused of(Row r) {
            UUID c = r.getUUID("client_id");
            return new Refused(r.getLong("id"), Page.time(r.getOffsetDateTime("received_at")), r.getString("service"), r.getString("reason"),
                    r.getString("detail"), c == null ? null : ClientId.format(c), r.getString("content_type"), r.getString("content_encoding"),
                    r.getInteger("size"), Boolean.TRUE.equals(r.getBoolean("verified")));
        }
    }

    @TemplateData
    public record Reason(String reason, long count, String last) {
    }

    @TemplateData
    public record Invalid(long id, Long inboxId, String clientId, String receivedAt, String failedAt, int attempts, int messages, String reason) {
    }

    public record Body(Refused refused, byte[] body) {
    }

    private final Pool pool;

    public RefusedStore(Pool pool) {
        this.pool = pool;
    }

    public Uni<List<Refused>> recent(String reason) {
        return pool.preparedQuery(RECENT).execute(Tuple.of(reason)).map(rows -> {
            List<Refused> out = new ArrayList<>();
            for (Row r : rows) {
                out.add(Refused.of(r));
            }
            return out;
        });
    }

    public Uni<List<Reason>> reasons() {
        return pool.query(REASONS).execute().map(rows -> {
            List<Reason> out = new ArrayList<>();
            for (Row r : rows) {
                out.add(new Reason(r.getString("reason"), r.getLong("n"), Page.time(r.getOffsetDateTime("last"))));
            }
            return out;
        });
    }

    public Uni<Optional<Body>> one(long id) {
        return pool.preparedQuery(ONE).execute(Tuple.of(id)).map(rows -> {
            if (rows.size() == 0) {
                return Optional.empty();
            }
            Row r = rows.iterator().next();
            return Optional.of(new Body(Refused.of(r), r.getBuffer("body") == null ? null : r.getBuffer("body").getBytes()));
        });
    }

    public Uni<List<Invalid>> invalid() {
        return pool.query(INVALID).execute().map(rows -> {
            List<Invalid> out = new ArrayList<>();
            for (Row r : rows) {
                UUID c = r.getUUID("client_id");
                out.add(new Invalid(r.getLong("id"), r.getLong("inbox_id"), c == null ? null : ClientId.format(c),
                        Page.time(r.getOffsetDateTime("received_at")), Page.time(r.getOffsetDateTime("failed_at")), r.getInteger("attempts"),
                        r.getInteger("message_count"), r.getString("reason")));
            }
            return out;
        });
    }
}
