package io.statesys.console.signin;

import io.statesys.console.session.ConsoleSession;
import io.statesys.console.ConsoleConfig;
import io.statesys.core.config.StatesysConfig;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Console sessions: the cookie carries role, name, expiry and a nonce, signed with HMAC-SHA256
 * under a key derived from the configured tokens and a secret the database drew (V24) — so every
 * replica accepts it, knowing a token is not enough to mint one, and changing a token ends every
 * session made with the old one. Signing out writes the session's nonce down until it would have
 * expired ({@link SessionStore}); every replica refuses it from its next refresh. The CSRF token is
 * a second MAC of the nonce: a page can only post what a page of this session was given.
 */
@ApplicationScoped
public class ConsoleSessions {
    public static final String COOKIE = "statesys_console";

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();

    private final Optional<String> adminToken;
    private final Optional<String> viewerToken;
    private final ConsoleConfig console;
    private final SessionStore store;
    /** Null until the database's secret has been read at start: no session is issued or accepted before. */
    private volatile byte[] key;
    private final Clock clock = Clock.systemUTC();
    /** Made with the bean at run time: a native image must not carry a seeded generator from its build. */
    private final SecureRandom random = new SecureRandom();

    public ConsoleSessions(StatesysConfig config, ConsoleConfig console, SessionStore store) {
        this.console = console;
        this.store = store;
        this.adminToken = config.admin().token().filter(t -> !t.isBlank());
        this.viewerToken = console.viewerToken().filter(t -> !t.isBlank());
    }

    /** After the schema is migrated: the key, from the tokens and the database's secret. */
    void start(@jakarta.enterprise.event.Observes @jakarta.annotation.Priority(20) io.quarkus.runtime.StartupEvent ev,
               org.flywaydb.core.Flyway flyway) {
        byte[] secret = store.secret(flyway.getConfiguration().getDataSource());
        this.key = sha256("statesys-console-session\n" + java.util.HexFormat.of().formatHex(secret) + "\n"
                + adminToken.orElse("") + "\n" + viewerToken.orElse(""));
    }

    /**
     * Ends the session of a cookie: its nonce is refused here at once and at every replica from its
     * next refresh. Nothing to end (no cookie, a forged one): nothing is written.
     */
    public io.smallrye.mutiny.Uni<Void> end(String cookie) {
        String[] parts = signedParts(cookie);
        if (parts == null) {
            return io.smallrye.mutiny.Uni.createFrom().voidItem();
        }
        return store.revoke(parts[2], Instant.ofEpochSecond(Long.parseLong(parts[1])));
    }

    /** The role a presented token grants; empty when it matches none (compared in constant time). */
    public Optional<ConsoleSession.Role> roleOf(String presented) {
        byte[] p = presented == null ? new byte[0] : presented.trim().getBytes(StandardCharsets.UTF_8);
        if (adminToken.isPresent() && MessageDigest.isEqual(p, adminToken.get().getBytes(StandardCharsets.UTF_8))) {
            return Optional.of(ConsoleSession.Role.ADMIN);
        }
        if (viewerToken.isPresent() && MessageDigest.isEqual(p, viewerToken.get().getBytes(StandardCharsets.UTF_8))) {
            return Optional.of(ConsoleSession.Role.VIEWER);
        }
        return Optional.empty();
    }

    public boolean signInPossible() {
        return adminToken.isPresent() || viewerToken.isPresent();
    }

    /** A new session's cookie value. */
    public String issue(String actor, ConsoleSession.Role role) {
        if (key == null) {
            throw new IllegalStateException("the console's session key is not read yet");
        }
        byte[] nonce = new byte[16];
        random.nextBytes(nonce);
        long expires = clock.instant().plus(console.sessionLength()).getEpochSecond();
        String body = role.name() + "." + expires + "." + B64.encodeToString(nonce) + "."
                + B64.encodeToString(clean(actor).getBytes(StandardCharsets.UTF_8));
        return body + "." + B64.encodeToString(mac("session\n" + body));
    }

    /** The session a cookie (or a bearer token, for the JSON twins and scripts) stands for. */
    public Optional<ConsoleSession> verify(String cookie, String bearer) {
        if (bearer != null && !bearer.isBlank()) {
            return roleOf(bearer).map(role -> new ConsoleSession("bearer", role, clock.instant().plus(console.sessionLength()), null));
        }
        if (cookie == null) {
            return Optional.empty();
        }
        String[] parts = signedParts(cookie);
        if (parts == null || store.revoked(parts[2])) {
            return Optional.empty();
        }
        try {
            ConsoleSession.Role role = ConsoleSession.Role.valueOf(parts[0]);
            Instant expires = Instant.ofEpochSecond(Long.parseLong(parts[1]));
            if (!expires.isAfter(clock.instant())) {
                return Optional.empty();
            }
            String actor = new String(B64D.decode(parts[3]), StandardCharsets.UTF_8);
            return Optional.of(new ConsoleSession(actor, role, expires, B64.encodeToString(mac("csrf\n" + parts[2]))));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** role, expiry, nonce and name of a cookie whose MAC holds; null for anything else. */
    private String[] signedParts(String cookie) {
        byte[] k = key;
        if (cookie == null || k == null) {
            return null;
        }
        int lastDot = cookie.lastIndexOf('.');
        if (lastDot < 0) {
            return null;
        }
        String body = cookie.substring(0, lastDot);
        byte[] presented;
        try {
            presented = B64D.decode(cookie.substring(lastDot + 1));
        } catch (IllegalArgumentException e) {
            return null;
        }
        if (!MessageDigest.isEqual(presented, mac("session\n" + body))) {
            return null;
        }
        String[] parts = body.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        try {
            Long.parseLong(parts[1]);
        } catch (NumberFormatException e) {
            return null;
        }
        return parts;
    }

    /** Whether a form's CSRF field is this session's. */
    public static boolean csrfMatches(ConsoleSession session, String presented) {
        return session.csrf() != null && presented != null
                && MessageDigest.isEqual(session.csrf().getBytes(StandardCharsets.UTF_8), presented.getBytes(StandardCharsets.UTF_8));
    }

    static String clean(String actor) {
        String a = actor == null ? "" : actor.strip().replaceAll("[\\p{Cntrl}]", "");
        return a.isEmpty() ? "anonymous" : a.length() > 64 ? a.substring(0, 64) : a;
    }

    private byte[] mac(String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
