package io.statesys.console;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/**
 * The operations console's settings (docs/console.md), served by the resync service at {@code /console/}:
 * who may sign in, how long a session lasts, how often the overview's history is sampled and where
 * the other services answer. Each is overridable by environment: {@code statesys.console.session-length}
 * ↔ {@code STATESYS_CONSOLE_SESSION_LENGTH}. The admin token that also signs in is the shared
 * {@code statesys.admin.token}.
 */
@ConfigMapping(prefix = "statesys.console")
public interface ConsoleConfig {
    /**
     * Token of read-only viewers (they see every view, take no action); unset = only the admin
     * token ({@code statesys.admin.token}) signs in. Keep it in a Secret.
     */
    Optional<String> viewerToken();

    /** How long a console session lasts after sign-in. */
    @WithDefault("8h")
    Duration sessionLength();

    /**
     * Failed sign-ins one address may make a minute (10); past them every sign-in from it is
     * refused (429) until the minute ends, before any token is compared. Each failure is audited.
     */
    @WithDefault("10")
    int maxFailedSignInsPerMinute();

    /** How often the overview's figures (inbox, rates, activity, floods) are sampled into the database. */
    @WithDefault("30s")
    Duration sampleInterval();

    /**
     * How often the silence snapshot the Unknown breakdown reads is retaken: every client's days since last seen, read once, and
     * the clients silent for a day or more. A day-grained count needs no fresher one.
     */
    @WithDefault("10m")
    Duration silenceInterval();

    /** How long those samples are kept (the overview's charts reach this far back). */
    @WithDefault("24h")
    Duration history();

    /** The relay's base URL, for its health. */
    @WithDefault("http://127.0.0.1:8081")
    String relayUrl();

    /** The fallback status point's base URL, for its health, status and dead-letter actions. */
    @WithDefault("http://127.0.0.1:8082")
    String fspUrl();

    /** The state processor's base URL, for its health and the site directory. */
    @WithDefault("http://127.0.0.1:8083")
    String processorUrl();

    /** Most clients one bulk "force resync" may touch (the storm cap of an operator's hand). */
    @WithDefault("10000")
    int maxBulkResync();
}
