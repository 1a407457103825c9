package io.statesys.core.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The settings more than one service reads (docs/operating.md, "Settings"), with their defaults:
 * the admin and internal tokens, client identity, report limits, refused reports, the database
 * connection and the site. A setting one module alone reads is in that module's own mapping
 * ({@code ProcessorConfig}, {@code FspConfig}, {@code ResyncConfig}, {@code ConsoleConfig}). Each is
 * overridable by environment: {@code statesys.limits.max-body-bytes} ↔ {@code STATESYS_LIMITS_MAX_BODY_BYTES}.
 * Durations take {@code 900s}, {@code 60m}, {@code 3d} or ISO-8601.
 */
@ConfigMapping(prefix = "statesys")
public interface StatesysConfig {

    Admin admin();

    Limits limits();

    BadReports badReports();

    Db db();

    Identity identity();

    Internal internal();

    Site site();

    /**
     * Where this deployment sits in a site hierarchy (docs/operating.md, "Site hierarchy"; docs/api.md,
     * "Site hierarchy"). A site processes its own clients; what it processed is replicated up to its
     * parent by PostgreSQL logical replication, and resync orders made at a parent come down.
     */
    interface Site {
        /** This site's code: three capital letters or digits, fixed at the database's first migration. */
        @WithDefault("S01")
        String code();

        /** The parent site's code; none for the top (central) site or a stand-alone one. */
        Optional<String> parent();

        /**
         * How this site's database reaches its parent's, for the subscription that brings resync
         * orders down: a libpq URI ({@code postgresql://user:password@host:5432/statesys}); keep it in a Secret.
         */
        Optional<String> parentConnection();

        /**
         * Each child site and how this site's database reaches the child's, for the subscription that
         * brings the child's processed data up: {@code PS1=postgresql://…,PS2=postgresql://…}; keep it in a Secret.
         */
        Optional<List<String>> children();

        /** Whether the processor creates and keeps the publications and subscriptions itself (needs a superuser in PostgreSQL 15). */
        @WithDefault("true")
        boolean manageLinks();

        /**
         * The database role the processor keeps the links with — creating subscriptions needs a
         * superuser in PostgreSQL 15 — on a connection of its own, opened for each round. Unset: the
         * service's own role ({@code statesys.db.user}), which then must be a superuser. Set, the
         * services' own role needs no more than to own the schema: no relay or FSP holds a superuser's
         * password.
         */
        Optional<String> linkUser();

        /** Password of {@link #linkUser()}; keep it in a Secret. */
        Optional<String> linkPassword();

        /**
         * How often this site records that it is alive; at its ancestors the age of that record is the
         * link's lag (so it is also the lag's resolution), and links are checked as often.
         */
        @WithDefault("1s")
        Duration heartbeat();

        /** A descendant whose data lags more than this is shown {@code degraded}. */
        @WithDefault("30s")
        Duration degradedAfter();

        /** A descendant whose data lags more than this, or whose subscription is missing, is shown {@code failed}. */
        @WithDefault("10m")
        Duration failedAfter();
    }

    /** Client identity (docs/api.md, "Client identity"): who may report as which client. */
    interface Identity {
        enum Mode { ENFORCE, REPORT, OFF }

        enum Approval { TOKEN, MANUAL, AUTO }

        /** {@code enforce}: refuse what is not proven; {@code report}: accept but count and flag; {@code off}. */
        @WithDefault("enforce")
        Mode mode();

        /** How a new registration is approved: with a valid enrolment token, by an admin, or at once (labs). */
        @WithDefault("token")
        Approval approval();

        /** Topic types the FSP takes unsigned (client deployment, sent before a client is registered). */
        @WithDefault("800")
        List<Integer> fspUnsignedTopicTypes();

        /** How soon a block or approval reaches every relay and FSP replica (their key caches). */
        @WithDefault("30s")
        Duration cacheTtl();

        /** Longest validity an enrolment token may be given. */
        @WithDefault("7d")
        Duration maxTokenValidity();

        /**
         * How long a registration may stay pending (approval {@code manual}, or one made before a
         * token was required) before the processor's retention forgets it, so that nobody holds a
         * ClientID with a key of their own by registering it first (7 days).
         */
        @WithDefault("7d")
        Duration pendingExpiry();

        /**
         * How far a signature's {@code created} may lie from the receiving door's clock, either way
         * (24 h); older or later signatures, and those past their {@code expires}, are
         * {@code 401 invalid_signature}. A report the FSP took fresh is not judged again when it
         * is forwarded, however long it waited.
         */
        @WithDefault("24h")
        Duration signatureWindow();
    }

    /** Between the services themselves. */
    interface Internal {
        /** The shared secret the FSP presents to the relay (Bearer); unset = the relay trusts no unsigned report. */
        Optional<String> token();
    }

    /** The shared Postgres database (datasource URLs are built from these). */
    interface Db {
        @WithDefault("127.0.0.1")
        String host();

        @WithDefault("5432")
        int port();

        @WithDefault("statesys")
        String name();

        @WithDefault("postgres")
        String user();

        @WithDefault("postgres")
        String password();

        /**
         * How long a starting service keeps trying to reach the database to migrate the schema
         * (5 min), with a capped back-off, before it gives up and exits: a database that is
         * restarting or out of connections delays a start instead of failing it.
         */
        @WithDefault("5m")
        java.time.Duration startupWait();

        /**
         * Reactive connections one replica may open (16); with the 2 JDBC connections of schema
         * migration and the processor's LISTEN, a replica opens at most this + 3 (README,
         * "Connection budget").
         */
        @WithDefault("16")
        int poolSize();

        /**
         * TLS to the database: {@code disable} (a local run), or {@code verify-full} (production): every
         * connection — the pool, schema migration, the processor's LISTEN — encrypted, the server's
         * certificate checked against {@link #sslRootCert()} and its name against {@link #host()}.
         */
        @WithDefault("disable")
        DbSslMode sslMode();

        /** The PEM file of the certificate authority that signed the database server's certificate. */
        Optional<String> sslRootCert();
    }

    Health health();

    /** How readiness judges the database (service-common's DatabaseReadiness). */
    interface Health {
        /** The readiness probe's {@code SELECT 1} waits this long for a pooled connection (2 s). */
        @WithDefault("2s")
        Duration databaseTimeout();

        /**
         * A full server (53300) or a pool with no free connection in time keeps the service ready
         * this long after the database last answered (60 s); an outage is not-ready at once.
         */
        @WithDefault("60s")
        Duration databaseGrace();
    }

    enum DbSslMode {
        DISABLE, VERIFY_FULL
    }

    interface Admin {
        /** Bearer token for admin calls; unset = admin calls refused. */
        Optional<String> token();

        /**
         * Hex SHA-256 of the admin token, for services that take admin calls without holding the
         * token (the FSP, which faces the internet): a stolen pod's environment does not give the
         * token away. Used only when {@link #token()} is unset.
         */
        @WithName("token-sha256")
        Optional<String> tokenSha256();
    }

    interface Limits {
        /**
         * Largest report body accepted, after decompression (8 MiB: a 10,000-message report in
         * UTF-16 fits). Every body over it, chunked or not, answers the JSON 413.
         */
        @WithDefault("8388608")
        long maxBodyBytes();

        /** Most state messages in one report. */
        @WithDefault("10000")
        int maxMessagesPerReport();

        /** Longest header text (NetBIOSName, ClientVersion, ReportType), in characters (256). */
        @WithDefault("256")
        int maxFieldChars();

        /** Longest UserParameters {@code Param}, in characters (8192). */
        @WithDefault("8192")
        int maxParamChars();

        /**
         * How far after its receipt a MessageTime may lie. Newest MessageTime wins a topic's latest
         * state, so one message dated 2099 would pin that state for good: such messages are refused.
         */
        @WithDefault("1d")
        Duration maxFutureSkew();

        /**
         * Report body bytes one ingress replica holds at once (reading, parsing, storing); a report
         * beyond it answers 503 with Retry-After and is sent again. Unset: an eighth of the JVM's
         * maximum heap (14 MiB of a 112 MiB heap). One report is always admitted when none is held.
         */
        java.util.OptionalLong maxInflightBodyBytes();

        /**
         * Longest a report body may take to arrive, from the request's headers to its last byte
         * (60 s); past it the upload answers 408 {@code body_timeout} and its connection is closed.
         */
        @WithDefault("60s")
        Duration bodyTimeout();

        /**
         * Fewest body bytes per second an upload must bring in every {@code body-rate-window} until it
         * ends (1024: a 64 kbit/s link sends eight times that); one that brings fewer — an idle
         * socket, a trickle — answers 408 {@code body_timeout} and its connection is closed.
         */
        @WithDefault("1024")
        long minBodyRate();

        /** Over how long the body rate is measured (5 s); the first window starts with the request. */
        @WithDefault("5s")
        Duration bodyRateWindow();

        /**
         * Most report uploads one source address may have under way at one replica (256: a busy
         * NAT or proxy stays well within it); more answer 503 {@code busy} with Retry-After. It bounds
         * the sockets, timers and buffers one source can hold. Behind a proxy the source is the
         * client only where forwarded addresses are trusted ({@code quarkus.http.proxy.*}).
         */
        @WithDefault("256")
        int maxUploadsPerAddress();
    }

    interface BadReports {
        /** Refused bodies kept for diagnosis per refusal reason, newest first; older ones are pruned. */
        @WithDefault("1000")
        int maxCount();

        @WithDefault("7d")
        Duration maxAge();

        /** Most bytes of one refused body kept (64 KiB: the header and the first messages); its size as sent is noted. */
        @WithDefault("65536")
        int maxBodyBytes();

        /** Most body bytes kept for one refusal reason (16 MiB), so one flood cannot take the space of the others. */
        @WithDefault("16777216")
        long maxBytesPerReason();

        /** Most refusals kept from one source address a minute (600); more are answered but not kept. */
        @WithDefault("600")
        int maxPerSourcePerMinute();
    }
}
