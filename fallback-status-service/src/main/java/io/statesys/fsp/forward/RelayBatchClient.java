package io.statesys.fsp.forward;

import io.statesys.service.forwarding.ForwardedReports;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** The relay's batch door for the FSP (same URL as {@link RelayClient}: {@code statesys.fsp.relay-url}). */
@RegisterRestClient(configKey = "relay")
@Path(ForwardedReports.PATH)
public interface RelayBatchClient {
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    Response post(@HeaderParam("Authorization") String authorization, ForwardedReports batch);
}
