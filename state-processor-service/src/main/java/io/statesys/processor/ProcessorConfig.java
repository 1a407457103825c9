package io.statesys.processor;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;

/**
 * The state processor's own settings (docs/operating.md, "Settings"): the loader's — the original's
 * STATE_MESSAGE_SYSTEM names where it has them — and retention's. Each is overridable by
 * environment: {@code statesys.loader.chunk-size} ↔ {@code STATESYS_LOADER_CHUNK_SIZE}.
 */
@ConfigMapping(prefix = "statesys")
public interface ProcessorConfig {

    /** Heartbeat Msg Interval (60 min): how often the state system records that it is alive. */
    @WithDefault("60m")
    Duration heartbeatMsgInterval();

    /** Inbox Polling Interval (900 s): fallback poll; a NOTIFY from the relay wakes loaders sooner. */
    @WithDefault("900s")
    Duration inboxPollingInterval();

    /** Retry Config (7200,28800,86400 s): delays before retrying a record that failed transiently. */
    @WithDefault("7200,28800,86400")
    List<Duration> retryConfig();

    Loader loader();

    Retention retention();

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
}
