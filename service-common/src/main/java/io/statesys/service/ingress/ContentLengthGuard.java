package io.statesys.service.ingress;

import io.statesys.core.config.StatesysConfig;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.container.ContainerRequestContext;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.util.Optional;

/**
 * Refuses a report whose declared length is already over the limit before its body is read, with
 * the contract's JSON 413 (a body sent without Content-Length is still counted while it is read,
 * up to quarkus.http.limits.max-body-size).
 */
public class ContentLengthGuard {
    private final long maxBodyBytes;

    public ContentLengthGuard(StatesysConfig config) {
        this.maxBodyBytes = config.limits().maxBodyBytes();
    }

    @ServerRequestFilter(preMatching = true)
    public Optional<Response> checkDeclaredLength(ContainerRequestContext request) {
        if (!"POST".equals(request.getMethod()) || !request.getUriInfo().getPath().endsWith("/statemessages")) {
            return Optional.empty();
        }
        String declared = request.getHeaderString(HttpHeaders.CONTENT_LENGTH);
        if (declared == null) {
            return Optional.empty();
        }
        long length;
        try {
            length = Long.parseLong(declared.trim());
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        if (length <= maxBodyBytes) {
            return Optional.empty();
        }
        return Optional.of(new ReportRejectedException(413, ReportRejectedException.TOO_LARGE,
                "body of " + length + " bytes exceeds the limit of " + maxBodyBytes + " bytes").getResponse());
    }
}
