package io.statesys.service.admin;

import io.statesys.core.config.StatesysConfig;
import io.statesys.service.error.ApiException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Admin calls are refused (401) unless they carry the configured bearer token; with no token
 * configured they are always refused, never open. A service may hold only the token's SHA-256
 * ({@code statesys.admin.token-sha256}) and compare digests. The comparison takes constant time.
 */
public class AdminTokenFilter {
    /** SHA-256 of the admin token, or empty: admin calls refused. */
    private final Optional<byte[]> digest;

    public AdminTokenFilter(StatesysConfig config) {
        this.digest = digestOf(config.admin().token(), config.admin().tokenSha256());
    }

    static Optional<byte[]> digestOf(Optional<String> token, Optional<String> sha256) {
        Optional<String> t = token.filter(s -> !s.isBlank());
        if (t.isPresent()) {
            return Optional.of(sha256(t.get()));
        }
        return sha256.map(String::trim).filter(s -> !s.isEmpty()).map(hex -> {
            if (!hex.matches("[0-9a-fA-F]{64}")) {
                throw new IllegalArgumentException("statesys.admin.token-sha256 must be 64 hex digits (sha256sum of the token)");
            }
            return HexFormat.of().parseHex(hex.toLowerCase(java.util.Locale.ROOT));
        });
    }

    @AdminOnly
    @ServerRequestFilter
    public Optional<Response> requireToken(ContainerRequestContext request) {
        if (digest.isEmpty()) {
            return Optional.of(unauthorized("admin calls are disabled: no statesys.admin.token (STATESYS_ADMIN_TOKEN) "
                    + "or statesys.admin.token-sha256 is configured"));
        }
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        String presented = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : "";
        boolean ok = !presented.isEmpty() && MessageDigest.isEqual(sha256(presented), digest.get());
        return ok ? Optional.empty() : Optional.of(unauthorized("missing or wrong bearer token"));
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Response unauthorized(String detail) {
        return ApiException.unauthorized("unauthorized", detail).getResponse();
    }
}
