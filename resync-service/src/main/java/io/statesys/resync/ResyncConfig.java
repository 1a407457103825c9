package io.statesys.resync;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/**
 * The resync service's own settings (docs/operating.md, "Settings"): when a gap earns a resync
 * request, how often the check runs, when a request is re-issued, the storm cap. Each is
 * overridable by environment: {@code statesys.resync.max-per-check} ↔ {@code STATESYS_RESYNC_MAX_PER_CHECK}.
 */
@ConfigMapping(prefix = "statesys.resync")
public interface ResyncConfig {
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
