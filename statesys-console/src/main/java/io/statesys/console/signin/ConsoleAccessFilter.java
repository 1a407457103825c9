package io.statesys.console.signin;

import io.statesys.console.session.ConsoleView;
import io.statesys.console.session.ConsoleSession;
import io.statesys.service.error.ApiException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.net.URI;
import java.util.Optional;

/**
 * Every console page needs a session: a page asked for without one is sent to the sign-in form
 * (and back afterwards); a JSON twin answers 401. The session found is left on the request for the
 * resource (its name goes into the audit, its role decides whether action buttons show).
 */
public class ConsoleAccessFilter {
    private final ConsoleSessions sessions;

    public ConsoleAccessFilter(ConsoleSessions sessions) {
        this.sessions = sessions;
    }

    @ConsoleView
    @ServerRequestFilter
    public Optional<Response> requireSession(ContainerRequestContext request) {
        Cookie cookie = request.getCookies().get(ConsoleSessions.COOKIE);
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        String bearer = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : null;
        Optional<ConsoleSession> session = sessions.verify(cookie == null ? null : cookie.getValue(), bearer);
        if (session.isPresent()) {
            session.get().attachTo(request);
            return Optional.empty();
        }
        String path = request.getUriInfo().getPath();
        if (path.startsWith("/console")) {
            String next = request.getUriInfo().getRequestUri().getRawPath();
            String query = request.getUriInfo().getRequestUri().getRawQuery();
            String back = "GET".equals(request.getMethod()) ? next + (query == null ? "" : "?" + query) : "/console/";
            return Optional.of(ConsoleHeaders.redirect("/console/sign-in?next=" + java.net.URLEncoder.encode(back, java.nio.charset.StandardCharsets.UTF_8)).build());
        }
        return Optional.of(ApiException.unauthorized("unauthorized",
                "a console session or Authorization: Bearer <statesys.admin.token or statesys.console.viewer-token> is required").getResponse());
    }
}
