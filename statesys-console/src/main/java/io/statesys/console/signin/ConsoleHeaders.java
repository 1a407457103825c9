package io.statesys.console.signin;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * What every console answer tells the browser: no framing (clickjacking), no content sniffing,
 * nothing cached (pages show clients' data and carry CSRF tokens), and a content policy under which
 * the pages' own inline styles are all that runs — no script, no foreign source. Redirects are
 * relative ({@link #redirect}), never built from the request's Host.
 */
public class ConsoleHeaders {
    static final String POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; "
            + "frame-ancestors 'none'; base-uri 'none'";

    @ServerResponseFilter
    public void secure(ContainerRequestContext request, ContainerResponseContext response) {
        if (!request.getUriInfo().getPath().startsWith("/console")) {
            return;
        }
        var headers = response.getHeaders();
        headers.putSingle("Content-Security-Policy", POLICY);
        headers.putSingle("X-Frame-Options", "DENY");
        headers.putSingle("X-Content-Type-Options", "nosniff");
        headers.putSingle("Cache-Control", "no-store");
        headers.putSingle("Referrer-Policy", "same-origin");
    }

    /** A 303 to a path of this site, as a relative Location (a forged Host header cannot send anyone elsewhere). */
    public static Response.ResponseBuilder redirect(String path) {
        return Response.status(Response.Status.SEE_OTHER).header("Location", path);
    }
}
