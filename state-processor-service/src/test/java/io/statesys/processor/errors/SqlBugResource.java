package io.statesys.processor.errors;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** Test-only endpoints that run statements Postgres refuses, as a bug in a store would. */
@Path("/test/sql-bug")
public class SqlBugResource {
    private final Pool pool;

    public SqlBugResource(Pool pool) {
        this.pool = pool;
    }

    @GET
    @Path("/syntax")
    @Operation(hidden = true)
    public Uni<Long> syntax() {
        return pool.query("SELEC count(*) FROM inbox").execute().map(r -> 0L);
    }

    @GET
    @Path("/constraint")
    @Operation(hidden = true)
    public Uni<Long> constraint() {
        return pool.query("INSERT INTO state_name (topic_type, state_id, state_name) VALUES (500, 2, 'again')").execute().map(r -> 0L);
    }
}
