package io.statesys.processor.views;

import io.smallrye.mutiny.Uni;
import io.statesys.processor.views.ClientViews.Missing;
import io.statesys.processor.views.ClientViews.TopicState;
import io.statesys.service.error.ApiException;
import io.statesys.service.http.ClientIdParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.time.Instant;
import java.util.List;

/** What the state system knows of one client (docs/api.md, "State processor"): latest state per topic, serial bookkeeping. */
@Path("/api/v1/clients/{clientId}")
@Produces(MediaType.APPLICATION_JSON)
public class ClientViewsResource {
    private final ClientViews views;

    public ClientViewsResource(ClientViews views) {
        this.views = views;
    }

    public record Serials(String clientId, long lowestSerial, long highestSerial, long messages, long duplicates,
                          List<Missing> missing, Instant lastResyncIssuedTime, Instant lastResyncClientCompletedTime,
                          Unverified unverified) {
    }

    /** Set while the client's reports are taken unverified (identity mode {@code report}): who still sends unsigned. */
    public record Unverified(long reports, String lastReason) {
    }

    @GET
    @Path("/states")
    public Uni<List<TopicState>> states(@PathParam("clientId") ClientIdParam clientId) {
        return views.states(clientId.uuid()).map(states -> {
            if (states.isEmpty()) {
                throw ApiException.notFound("unknown_client", "no state known for " + clientId);
            }
            return states;
        });
    }

    @GET
    @Path("/serials")
    public Uni<Serials> serials(@PathParam("clientId") ClientIdParam clientId) {
        return views.stats(clientId.uuid()).chain(found -> {
            ClientViews.SerialStats s = found.orElseThrow(
                    () -> ApiException.notFound("unknown_client", "no message received from " + clientId));
            return views.missingRanges(clientId.uuid()).map(missing -> new Serials(clientId.toString(), s.lowestSerial(),
                    s.highestSerial(), s.messages(), s.duplicates(), missing, s.lastResyncIssuedTime(),
                    s.lastResyncClientCompletedTime(),
                    s.unverifiedReports() == 0 ? null : new Unverified(s.unverifiedReports(), s.lastUnverifiedReason())));
        });
    }
}
