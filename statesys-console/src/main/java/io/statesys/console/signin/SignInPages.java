package io.statesys.console.signin;

import io.statesys.console.session.ConsoleView;
import io.statesys.console.session.ConsoleSession;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Uni;
import io.statesys.console.audit.ConsoleAudit;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import org.eclipse.microprofile.openapi.annotations.Operation;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;

import java.net.URI;
import java.util.Optional;

/**
 * Sign-in with a token (the admin token acts, the viewer token only reads) and a name for the audit;
 * the session cookie is {@code HttpOnly}, {@code SameSite=Strict}, and {@code Secure} when the page
 * came over HTTPS (directly or through a proxy that says so).
 */
@Path("/")
public class SignInPages {
    /** The templates under {@code templates/console/}, their parameters checked when the build runs. */
    @CheckedTemplate(basePath = "console", defaultName = CheckedTemplate.HYPHENATED_ELEMENT_NAME)
    static class Templates {
        static native TemplateInstance signIn(String next, String error);
    }

    private final ConsoleSessions sessions;
    private final ConsoleAudit audit;
    private final io.statesys.service.http.SourceQuota failures;

    public SignInPages(ConsoleSessions sessions, ConsoleAudit audit,
                      io.statesys.console.ConsoleConfig config) {
        this.sessions = sessions;
        this.audit = audit;
        this.failures = new io.statesys.service.http.SourceQuota(config.maxFailedSignInsPerMinute());
    }

    @GET
    @Path("/console/sign-in")
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public Response form(@QueryParam("next") String next) {
        if (hasControl(next)) {
            return badNext();
        }
        return Response.ok(Templates.signIn(safeNext(next), sessions.signInPossible() ? null
                : "Sign-in is disabled: neither statesys.admin.token nor statesys.console.viewer-token is configured.").render(),
                MediaType.TEXT_HTML_TYPE).build();
    }

    @POST
    @Path("/console/sign-in")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public Uni<Response> signIn(@FormParam("name") String name, @FormParam("token") String token, @FormParam("next") String next,
                                @Context ContainerRequestContext request, @Context io.vertx.core.http.HttpServerRequest http) {
        if (hasControl(next)) {
            return Uni.createFrom().item(badNext());
        }
        String source = io.statesys.service.http.SourceQuota.sourceOf(http);
        long now = System.currentTimeMillis();
        if (!failures.available(source, now)) {
            return Uni.createFrom().item(Response.status(429).type(MediaType.TEXT_PLAIN_TYPE).header("Retry-After", "60")
                    .entity("too many failed sign-ins from this address: wait a minute").build());
        }
        Optional<ConsoleSession.Role> role = sessions.roleOf(token);
        if (role.isEmpty()) {
            failures.take(source, now);
            ConsoleSession nobody = new ConsoleSession(ConsoleSessions.clean(name), ConsoleSession.Role.VIEWER, java.time.Instant.now(), null);
            return audit.record(nobody, "sign-in-failed", "console", 0, "from " + source)
                    .onFailure().recoverWithNull()
                    .replaceWith(Response.status(401).type(MediaType.TEXT_HTML_TYPE)
                            .entity(Templates.signIn(safeNext(next), "That token is not valid here.").render()).build());
        }
        String cookie = sessions.issue(name, role.get());
        ConsoleSession session = sessions.verify(cookie, null).orElseThrow();
        return audit.record(session, "sign-in", "console", 1, null).map(v -> ConsoleHeaders.redirect(safeNext(next))
                .cookie(cookie(cookie, secure(request), -1)).build());
    }

    /** A {@code next} with a control character (TAB, CR, LF…) is nobody's page: refused, never echoed into a header or a log. */
    static boolean hasControl(String next) {
        return next != null && next.chars().anyMatch(c -> c < 0x20 || c == 0x7f);
    }

    private static Response badNext() {
        return Response.status(400).type(MediaType.TEXT_PLAIN_TYPE).entity("next: not a console path").build();
    }

    @POST
    @Path("/console/sign-out")
    @Operation(hidden = true)
    @ConsoleView
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> signOut(@FormParam("csrf") String csrf, @Context ContainerRequestContext request) {
        ConsoleSession session = ConsoleSession.of(request);
        if (!ConsoleSessions.csrfMatches(session, csrf)) {
            return Uni.createFrom().item(Response.status(403).type(MediaType.TEXT_PLAIN).entity("missing or wrong CSRF token").build());
        }
        jakarta.ws.rs.core.Cookie presented = request.getCookies().get(ConsoleSessions.COOKIE);
        // the session ends here, not only in this browser: its cookie is refused from now on
        return sessions.end(presented == null ? null : presented.getValue())
                .call(() -> audit.record(session, "sign-out", "console", 1, null))
                .replaceWith(() -> ConsoleHeaders.redirect("/console/sign-in").cookie(cookie("", secure(request), 0)).build());
    }

    static NewCookie cookie(String value, boolean secure, int maxAge) {
        return new NewCookie.Builder(ConsoleSessions.COOKIE).value(value).path("/").httpOnly(true).secure(secure)
                .sameSite(NewCookie.SameSite.STRICT).maxAge(maxAge).build();
    }

    static boolean secure(ContainerRequestContext request) {
        return "https".equalsIgnoreCase(request.getUriInfo().getRequestUri().getScheme())
                || "https".equalsIgnoreCase(request.getHeaderString("X-Forwarded-Proto"));
    }

    /** Only a console path of this site: never an open redirect. */
    static String safeNext(String next) {
        if (next == null || !next.startsWith("/console") || next.startsWith("//") || next.contains("\\") || next.startsWith("/console/sign-")) {
            return "/console/overview";
        }
        return next;
    }
}
