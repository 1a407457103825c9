package io.statesys.core.codec;

/**
 * Bounds on one report, enforced while reading so that no limit is passed in memory first.
 * {@code maxFieldChars} bounds each header text (NetBIOSName, ClientVersion, ReportType) and
 * {@code maxParamChars} each {@code Param}; a StateDetails is bounded by the body alone.
 */
public record ReportLimits(long maxBodyBytes, int maxMessages, int maxFieldChars, int maxParamChars) {
    public static final int DEFAULT_FIELD_CHARS = 256;
    public static final int DEFAULT_PARAM_CHARS = 8192;
    public static final ReportLimits DEFAULT = new ReportLimits(8L * 1024 * 1024, 10_000);

    public ReportLimits(long maxBodyBytes, int maxMessages) {
        this(maxBodyBytes, maxMessages, DEFAULT_FIELD_CHARS, DEFAULT_PARAM_CHARS);
    }
}
