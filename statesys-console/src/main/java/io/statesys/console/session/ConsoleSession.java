package io.statesys.console.session;

import jakarta.ws.rs.container.ContainerRequestContext;

import java.time.Instant;

/**
 * Who is looking at the console: a name given at sign-in (for the audit), a role from the token
 * used ({@code admin} acts, {@code viewer} only reads), until when, and the session's CSRF token.
 */
public record ConsoleSession(String actor, Role role, Instant expiresAt, String csrf) {
    public enum Role { ADMIN, VIEWER }

    static final String PROPERTY = "statesys.console.session";

    public boolean canAct() {
        return role == Role.ADMIN;
    }

    /** Done by the access filter once it has verified the request's cookie or bearer token. */
    public void attachTo(ContainerRequestContext request) {
        request.setProperty(PROPERTY, this);
    }

    /** The session the access filter found for this request. */
    public static ConsoleSession of(ContainerRequestContext request) {
        return (ConsoleSession) request.getProperty(PROPERTY);
    }
}
