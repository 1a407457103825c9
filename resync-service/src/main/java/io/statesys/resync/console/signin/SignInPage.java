package io.statesys.resync.console.signin;

import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Uni;
import io.statesys.resync.console.audit.ConsoleAudit;
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
public class SignInPage {
    private final ConsoleSessions sessions;
    private final ConsoleAudit audit;
    private final Template signIn;

    public SignInPage(ConsoleSessions sessions, ConsoleAudit audit, @Location("console/sign-in") Template signIn) {
        this.sessions = sessions;
        this.audit = audit;
        this.signIn = signIn;
    }

    @GET
    @Path("/console/sign-in")
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public TemplateInstance form(@QueryParam("next") String next) {
        return signIn.data("next", safeNext(next)).data("error", sessions.signInPossible() ? null
                : "Sign-in is disabled: neither statesys.admin.token nor statesys.console.viewer-token is configured.");
    }

    @POST
    @Path("/console/sign-in")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public Uni<Response> signIn(@FormParam("name") String name, @FormParam("token") String token, @FormParam("next") String next,
                                @Context ContainerRequestContext request) {
        Optional<ConsoleSession.Role> role = sessions.roleOf(token);
        if (role.isEmpty()) {
            return Uni.createFrom().item(Response.status(401).type(MediaType.TEXT_HTML_TYPE)
                    .entity(signIn.data("next", safeNext(next)).data("error", "That token is not valid here.").render()).build());
        }
        String cookie = sessions.issue(name, role.get());
        ConsoleSession session = sessions.verify(cookie, null).orElseThrow();
        return audit.record(session, "sign-in", "console", 1, null).map(v -> Response.seeOther(URI.create(safeNext(next)))
                .cookie(cookie(cookie, secure(request), -1)).build());
    }

    @POST
    @Path("/console/sign-out")
    @Operation(hidden = true)
    @ConsoleView
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response signOut(@FormParam("csrf") String csrf, @Context ContainerRequestContext request) {
        if (!ConsoleSessions.csrfMatches(ConsoleSession.of(request), csrf)) {
            return Response.status(403).type(MediaType.TEXT_PLAIN).entity("missing or wrong CSRF token").build();
        }
        return Response.seeOther(URI.create("/console/sign-in")).cookie(cookie("", secure(request), 0)).build();
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
