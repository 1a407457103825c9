package io.statesys.fsp.forward;

import io.statesys.core.contract.ContractPaths;
import io.statesys.service.http.StatesysHeaders;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** The relay's ingress, as the FSP calls it (URL: {@code statesys.fsp.relay-url}). */
@RegisterRestClient(configKey = "relay")
@Path(ContractPaths.STATE_MESSAGES)
public interface RelayClient {
    @POST
    @Consumes("text/xml")
    Response post(@HeaderParam("Authorization") String authorization, @HeaderParam(StatesysHeaders.SOURCE) String source,
                  byte[] report);

    /**
     * A client's signed report, as it came (the bytes, their encoding and the signature fields): the
     * relay verifies the client's own signature. The XML names its character encoding itself.
     */
    @POST
    @Consumes("text/xml")
    Response postSigned(@HeaderParam("Authorization") String authorization, @HeaderParam(StatesysHeaders.SOURCE) String source,
                        @HeaderParam("Content-Encoding") String contentEncoding,
                        @HeaderParam("Content-Digest") String contentDigest, @HeaderParam("Signature-Input") String signatureInput,
                        @HeaderParam("Signature") String signature, byte[] report);
}
