package io.statesys.console.actions;

import io.statesys.console.signin.ConsoleHeaders;
import io.statesys.console.signin.ConsoleSessions;
import io.statesys.console.session.ConsoleSession;
import io.smallrye.mutiny.Uni;
import io.statesys.core.report.ClientId;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What every console action checks before it changes anything: an admin session (a viewer only
 * reads) and the session's CSRF token in the form. And how it answers: back to a page, with what it did.
 */
public final class ActionGuard {
    private ActionGuard() {
    }

    /** A refusal (403 with the reason), or empty when the action may go ahead. */
    public static Optional<Response> refuse(ContainerRequestContext request, String csrf) {
        ConsoleSession session = ConsoleSession.of(request);
        if (!ConsoleSessions.csrfMatches(session, csrf)) {
            return Optional.of(forbidden("This form is missing its CSRF token or carries another session's: reload the page and try again."));
        }
        if (!session.canAct()) {
            return Optional.of(forbidden("Signed in as a viewer: actions need the admin token."));
        }
        return Optional.empty();
    }

    /**
     * Runs {@code action} when the request may act, answers the refusal otherwise. {@code T} is the
     * JAX-RS answer type, {@code Response} or {@code Object}: a refusal is a {@code Response}.
     */
    @SuppressWarnings("unchecked")
    public static <T> Uni<T> ifAllowed(ContainerRequestContext request, String csrf, Supplier<Uni<T>> action) {
        Optional<Response> refused = refuse(request, csrf);
        return refused.isPresent() ? Uni.createFrom().item((T) refused.get()) : action.get();
    }

    /**
     * As {@link #ifAllowed}, for an action on one client: a form value that is no client id goes back
     * to {@code page} saying so.
     */
    public static Uni<Response> ifAllowedForClient(ContainerRequestContext request, String csrf, String clientId, String page,
                                                   Function<UUID, Uni<Response>> action) {
        return ifAllowed(request, csrf, () -> {
            UUID client;
            try {
                client = ClientId.parse(clientId);
            } catch (IllegalArgumentException e) {
                return Uni.createFrom().item(done(page, "Not a client id: " + e.getMessage()));
            }
            return action.apply(client);
        });
    }

    public static Response forbidden(String why) {
        return Response.status(403).type(MediaType.TEXT_HTML_TYPE)
                .entity("<!DOCTYPE html><html><body><h1>Refused</h1><p id=\"refused\">" + why
                        .replace("&", "&amp;").replace("<", "&lt;") + "</p><p><a href=\"/console/overview\">Back to the console</a></p></body></html>")
                .build();
    }

    /** Back to {@code page} with the outcome shown on it. */
    public static Response done(String page, String outcome) {
        String sep = page.contains("?") ? "&" : "?";
        return ConsoleHeaders.redirect(page + sep + "done=" + URLEncoder.encode(outcome, StandardCharsets.UTF_8)).build();
    }
}
