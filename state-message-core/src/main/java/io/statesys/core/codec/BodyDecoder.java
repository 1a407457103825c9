package io.statesys.core.codec;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Turns a request body into the XML bytes to parse: undoes {@code Content-Encoding: gzip} and
 * enforces the body limit on the decompressed size while inflating, so a gzip bomb stops at the
 * limit instead of filling memory.
 */
public final class BodyDecoder {
    private BodyDecoder() {
    }

    public static byte[] decode(byte[] body, String contentEncoding, long maxBytes) {
        if (body.length > maxBytes && !isGzip(contentEncoding)) {
            throw new ReportTooLargeException("body of " + body.length + " bytes exceeds the limit of " + maxBytes + " bytes");
        }
        if (contentEncoding == null || contentEncoding.isBlank() || contentEncoding.trim().equalsIgnoreCase("identity")) {
            return body;
        }
        if (!isGzip(contentEncoding)) {
            throw new UnsupportedContentEncodingException("Content-Encoding '" + contentEncoding + "' is not supported (gzip or identity)");
        }
        try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(body), 8192)) {
            return readBounded(in, maxBytes);
        } catch (ZipException | java.io.EOFException e) {
            throw new InvalidReportException("body", "not valid gzip data: " + e.getMessage());
        } catch (IOException e) {
            throw new InvalidReportException("body", "cannot inflate gzip data: " + e.getMessage());
        }
    }

    private static boolean isGzip(String contentEncoding) {
        if (contentEncoding == null) {
            return false;
        }
        String ce = contentEncoding.trim().toLowerCase(Locale.ROOT);
        return ce.equals("gzip") || ce.equals("x-gzip");
    }

    static byte[] readBounded(InputStream in, long maxBytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
        byte[] buf = new byte[16 * 1024];
        long total = 0;
        int n;
        while ((n = in.read(buf)) > 0) {
            total += n;
            if (total > maxBytes) {
                throw new ReportTooLargeException("decompressed body exceeds the limit of " + maxBytes + " bytes");
            }
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }

    /** Content-Encoding other than gzip/identity: answered 415. */
    public static class UnsupportedContentEncodingException extends RuntimeException {
        public UnsupportedContentEncodingException(String message) {
            super(message);
        }
    }
}
