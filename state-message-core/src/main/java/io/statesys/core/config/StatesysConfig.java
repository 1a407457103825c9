package io.statesys.core.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Every setting of the original's STATE_MESSAGE_SYSTEM table (docs/api.md, "Settings"), with its default.
 * Each is overridable by environment: {@code statesys.loader.chunk-size} ↔ {@code STATESYS_LOADER_CHUNK_SIZE}.
 * Durations take {@code 900s}, {@code 60m}, {@code 3d} or ISO-8601.
 */
@ConfigMapping(prefix = "statesys")
public interface StatesysConfig {

    /** Heartbeat Msg Interval (60 min): how often the state system records that it is alive. */
    @WithDefault("60m")
    Duration heartbeatMsgInterval();

    /** Inbox Polling Interval (900 s): fallback poll; a NOTIFY from the relay wakes loaders sooner. */
    @WithDefault("900s")
    Duration inboxPollingInterval();

    Loader loader();

    Resync resync();

    /** Retry Config (7200,28800,86400 s): delays before retrying a record that failed transiently. */
    @WithDefault("7200,28800,86400")
    List<Duration> retryConfig();

    Fsp fsp();

    Admin admin();

    Limits limits();

    BadReports badReports();

    Retention retention();

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

    interface Loader {
        /** Loader Chunk Size (256): reports claimed per chunk (one report = one .smx file of the original). */
        @WithDefault("256")
        int chunkSize();

        /** Loader Threads (4): concurrent loaders per processor instance. */
        @WithDefault("4")
        int threads();

        /** Max Chunks Fetched (100): chunks claimed per polling pass before the loader re-polls. */
        @WithDefault("100")
        int maxChunksFetched();

        /**
         * After a NOTIFY wakes the loaders, they wait this long before claiming, so that a busy inbox
         * is loaded in full chunks rather than one report per transaction (the original pauses 10 s).
         * Below the maximum rate this pause sets the chunk size, and every chunk costs the same dozen
         * statements: 1 s took 42 % off PostgreSQL's CPU per message at half load (100 ms before).
         */
        @WithDefault("1s")
        Duration notifyBatchDelay();

        /** Start the loader threads with the service (tests drive the loader themselves). */
        @WithDefault("true")
        boolean autoStart();
    }

    interface Resync {
        /** Min Missing Message Age (2880 min): how long a message must be missing before a resync. */
        @WithDefault("2880m")
        Duration minMissingMessageAge();

        /** Resync Check Interval (15 min). */
        @WithDefault("15m")
        Duration checkInterval();

        /** Min Resync Period (72 h): re-issue when the completion was not processed in this time. */
        @WithDefault("3d")
        Duration reissueAfter();

        /** Storm control: at most this many requests issued per check, oldest gaps first. */
        @WithDefault("5000")
        int maxPerCheck();

        /**
         * After a restore of the site's database (a row in {@code site_restore}), a client first heard
         * from within this time whose serials do not start at 1 is asked once to resync: what it sent
         * before its first message the site kept may have been lost with the restore.
         */
        @WithDefault("7d")
        Duration restoreWindow();
    }

    interface Fsp {
        Throttle throttle();

        /** Where the FSP forwards (a Kubernetes Service name in k8s). */
        @WithDefault("http://127.0.0.1:8081")
        String relayUrl();

        /**
         * Relay calls the FSP has in flight at the same time (8): batches of up to 200 reports to
         * the relay's batch door, or single reports to a relay without it. One call at a time
         * would leave the relay idle while the FSP waits for each answer.
         */
        @WithDefault("8")
        int forwardConcurrency();

        /**
         * Report bytes the FSP's concurrent batches carry to the relay at once (4 MiB): each batch
         * carries at most this divided by forward-concurrency (512 KiB by default, never under
         * 64 KiB; a larger report goes alone). The relay admits a batch against the in-flight
         * budget its own clients' reports share (statesys.limits.max-inflight-body-bytes, 14 MiB in
         * a pod): keep this well under it, or a draining FSP makes the relay answer its clients busy.
         */
        @WithDefault("4194304")
        long forwardInflightBytes();

        /** Start forwarding with the service (tests drive the forwarder themselves). */
        @WithDefault("true")
        boolean forwarderAutoStart();

        interface Throttle {
            /** FSP → relay messages per interval (10000, the original's). */
            @WithDefault("10000")
            int messages();

            /** FSP throttle interval (3600 s). */
            @WithDefault("3600s")
            Duration interval();
        }
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

    /**
     * What the state system forgets, and when (the original's maintenance tasks): nothing it
     * keeps may grow forever. Run by the processor every {@code interval}, one replica at a time.
     */
    interface Retention {
        /** How often retention runs (1 h). */
        @WithDefault("1h")
        Duration interval();

        /** A client not heard from for this many days is retired from latest state and statistics (90). */
        @WithDefault("90")
        int inactiveClientDays();

        /** Invalid (poison) records kept for diagnosis (30 days). */
        @WithDefault("30d")
        Duration invalidRecordAge();

        /** Reports the relay refused for good, kept by the FSP (30 days). */
        @WithDefault("30d")
        Duration deadLetterAge();

        /** Completed resync requests kept as history (90 days). */
        @WithDefault("90d")
        Duration resyncHistoryAge();

        /** Rows removed per statement, so no run holds many locks at once (10000). */
        @WithDefault("10000")
        int batchSize();
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
