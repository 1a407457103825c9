package io.statesys.service.ingress;

import io.vertx.core.buffer.Buffer;

import java.time.Duration;

/**
 * What a report upload must keep to (statesys.limits.*), and the answers it gets when it does not:
 * the contract's JSON for {@code 413 report_too_large} (or the door's own status and error for a body
 * too large), {@code 503 busy} and {@code 408 body_timeout}.
 */
record UploadRules(long maxBodyBytes, long drainBytes, Duration timeout, long minRate, Duration rateWindow,
                   Buffer tooLarge, int tooLargeStatus, Buffer busy, Buffer timedOut) {
}
