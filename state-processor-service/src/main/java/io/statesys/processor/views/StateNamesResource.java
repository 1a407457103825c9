package io.statesys.processor.views;

import io.smallrye.mutiny.Uni;
import io.statesys.core.catalog.StateName;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.List;

/** The state-name catalog (docs/api.md, "State processor"). */
@Path("/api/v1/statenames")
@Produces(MediaType.APPLICATION_JSON)
public class StateNamesResource {
    private final StateNames names;

    public StateNamesResource(StateNames names) {
        this.names = names;
    }

    @GET
    public Uni<List<StateName>> catalog() {
        return names.all();
    }
}
