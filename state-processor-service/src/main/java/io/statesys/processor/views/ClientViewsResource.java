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

    /**
     * {@code lowestSerial}/{@code highestSerial} are null for a client that never sent a serial;
     * {@code messages} counts messages with a serial, {@code messagesWithoutSerial} the others.
     */
    public record Serials(String clientId, String siteCode, Long lowestSerial, Long highestSerial, long messages, long duplicates,
                          long messagesWithoutSerial, List<Missing> missing, Instant lastResyncIssuedTime, Instant lastResyncClientCompletedTime,
                          Unverified unverified) {
    }

    /** Set while the client's reports are taken unverified (identity mode {@code report}): who still sends unsigned. */
    public record Unverified(long reports, String lastReason) {
    }

    /** The client view: {@code sender} tells a site system (pull DP: {@code ClientInstalled 0}, IDType/IDFlag) from a client. */
    public record ClientView(String clientId, String siteCode, String netbiosName, ClientViews.Sender sender, boolean siteSystem,
                             Instant firstSeen, Instant lastSeen, long messages, long messagesWithoutSerial) {
    }

    @GET
    public Uni<ClientView> client(@PathParam("clientId") ClientIdParam clientId) {
        return views.client(clientId.uuid()).map(found -> {
            ClientViews.Client c = found.orElseThrow(
                    () -> ApiException.notFound("unknown_client", "no message received from " + clientId));
            return new ClientView(clientId.toString(), c.siteCode(), c.netbiosName(), c.sender(), c.sender().siteSystem(), c.firstSeen(),
                    c.lastSeen(), c.messages(), c.messagesWithoutSerial());
        });
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
            return views.missingRanges(clientId.uuid()).map(missing -> new Serials(clientId.toString(), s.siteCode(), s.lowestSerial(),
                    s.highestSerial(), s.messages(), s.duplicates(), s.serialLess(), missing, s.lastResyncIssuedTime(),
                    s.lastResyncClientCompletedTime(),
                    s.unverifiedReports() == 0 ? null : new Unverified(s.unverifiedReports(), s.lastUnverifiedReason())));
        });
    }
}
