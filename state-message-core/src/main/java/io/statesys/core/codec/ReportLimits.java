package io.statesys.core.codec;

/** Bounds on one report, enforced while reading so that no limit is passed in memory first. */
public record ReportLimits(long maxBodyBytes, int maxMessages) {
    public static final ReportLimits DEFAULT = new ReportLimits(4L * 1024 * 1024, 10_000);
}
