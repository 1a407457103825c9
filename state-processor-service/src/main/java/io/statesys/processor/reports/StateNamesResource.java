package io.statesys.processor.reports;

import io.smallrye.mutiny.Uni;
import io.statesys.core.catalog.StateName;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.ArrayList;
import java.util.List;

/** The state-name catalog, as v_StateNames holds it. */
@Path("/api/v1/statenames")
@Produces(MediaType.APPLICATION_JSON)
public class StateNamesResource {
    static final String CATALOG = "SELECT topic_type, state_id, state_name FROM state_name ORDER BY topic_type, state_id";

    private final Pool pool;

    public StateNamesResource(Pool pool) {
        this.pool = pool;
    }

    @GET
    public Uni<List<StateName>> catalog() {
        return pool.query(CATALOG).execute().map(rows -> {
            List<StateName> out = new ArrayList<>(rows.size());
            for (Row r : rows) {
                out.add(new StateName(r.getInteger("topic_type"), r.getInteger("state_id"), r.getString("state_name")));
            }
            return out;
        });
    }
}
