package io.statesys.fsp.forward;

import io.statesys.service.http.StatesysHeaders;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** The relay's ingress, as the FSP calls it (URL: {@code statesys.fsp.relay-url}). */
@RegisterRestClient(configKey = "relay")
@Path("/api/v1/statemessages")
public interface RelayClient {
    @POST
    @Consumes("text/xml")
    Response post(@HeaderParam(StatesysHeaders.SOURCE) String source, byte[] report);
}
