package io.statesys.service.admin;

import io.statesys.core.config.StatesysConfig;
import io.statesys.service.error.ApiException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * Admin calls are refused (401) unless they carry the configured bearer token; with no token
 * configured they are always refused, never open. The comparison takes constant time.
 */
public class AdminTokenFilter {
    private final Optional<String> token;

    public AdminTokenFilter(StatesysConfig config) {
        this.token = config.admin().token().filter(t -> !t.isBlank());
    }

    @AdminOnly
    @ServerRequestFilter
    public Optional<Response> requireToken(ContainerRequestContext request) {
        if (token.isEmpty()) {
            return Optional.of(unauthorized("admin calls are disabled: no statesys.admin.token (STATESYS_ADMIN_TOKEN) is configured"));
        }
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        String presented = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : "";
        boolean ok = MessageDigest.isEqual(presented.getBytes(StandardCharsets.UTF_8), token.get().getBytes(StandardCharsets.UTF_8));
        return ok ? Optional.empty() : Optional.of(unauthorized("missing or wrong bearer token"));
    }

    private static Response unauthorized(String detail) {
        return ApiException.unauthorized("unauthorized", detail).getResponse();
    }
}
