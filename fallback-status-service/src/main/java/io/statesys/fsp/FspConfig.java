package io.statesys.fsp;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/**
 * The fallback status point's own settings (docs/operating.md, "Settings"): where and how fast it
 * forwards to the relay. Each is overridable by environment: {@code statesys.fsp.throttle.messages}
 * ↔ {@code STATESYS_FSP_THROTTLE_MESSAGES}.
 */
@ConfigMapping(prefix = "statesys.fsp")
public interface FspConfig {
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
