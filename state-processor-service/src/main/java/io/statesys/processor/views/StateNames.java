package io.statesys.processor.views;

import io.smallrye.mutiny.Uni;
import io.statesys.core.catalog.StateName;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;

/** The state-name catalog as the database holds it (what v_StateNames shows). */
@ApplicationScoped
public class StateNames {
    static final String CATALOG = "SELECT topic_type, state_id, state_name FROM state_name ORDER BY topic_type, state_id";

    private final Pool pool;

    public StateNames(Pool pool) {
        this.pool = pool;
    }

    public Uni<List<StateName>> all() {
        return pool.query(CATALOG).execute().map(rows -> {
            List<StateName> out = new ArrayList<>(rows.size());
            for (Row r : rows) {
                out.add(new StateName(r.getInteger("topic_type"), r.getInteger("state_id"), r.getString("state_name")));
            }
            return out;
        });
    }
}
