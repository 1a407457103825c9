package io.statesys.console.audit;

import io.quarkus.qute.TemplateData;
import io.smallrye.mutiny.Uni;
import io.statesys.console.Page;
import io.statesys.console.session.ConsoleSession;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The console's audit trail: every action (and sign-in) with who, when, what, on what and how many. */
@ApplicationScoped
public class ConsoleAudit {
    static final String RECORD = """
            INSERT INTO console_audit (actor, role, action, target, affected, detail) VALUES ($1, $2, $3, $4, $5, $6)""";

    static final String RECENT = """
            SELECT id, at, actor, role, action, target, affected, detail FROM console_audit
            WHERE ($1::text IS NULL OR action = $1) ORDER BY id DESC LIMIT $2""";

    @TemplateData
    public record Entry(long id, String at, String actor, String role, String action, String target, int affected, String detail) {
    }

    private final Pool pool;

    public ConsoleAudit(Pool pool) {
        this.pool = pool;
    }

    /** In the action's own transaction when it has one (pass its connection), so the audit and the change commit together. */
    public Uni<Void> record(SqlClient db, ConsoleSession who, String action, String target, long affected, String detail) {
        return db.preparedQuery(RECORD).execute(Tuple.tuple().addString(who.actor()).addString(who.role().name().toLowerCase(Locale.ROOT))
                .addString(action).addString(target).addInteger((int) Math.min(Integer.MAX_VALUE, affected)).addString(detail)).replaceWithVoid();
    }

    public Uni<Void> record(ConsoleSession who, String action, String target, long affected, String detail) {
        return record(pool, who, action, target, affected, detail);
    }

    public Uni<List<Entry>> recent(String action, int limit) {
        return pool.preparedQuery(RECENT).execute(Tuple.of(action, limit)).map(rows -> {
            List<Entry> out = new ArrayList<>();
            for (Row r : rows) {
                out.add(new Entry(r.getLong("id"), Page.time(r.getOffsetDateTime("at")), r.getString("actor"), r.getString("role"),
                        r.getString("action"), r.getString("target"), r.getInteger("affected"), r.getString("detail")));
            }
            return out;
        });
    }
}
