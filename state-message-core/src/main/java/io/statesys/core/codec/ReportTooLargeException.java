package io.statesys.core.codec;

/** The body exceeds a configured limit (bytes after decompression, or state messages per report). */
public class ReportTooLargeException extends RuntimeException {
    public ReportTooLargeException(String detail) {
        super(detail);
    }
}
