package io.statesys.service.ingress;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.zip.GZIPInputStream;
import io.statesys.core.report.ClientId;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A refused body as a person reads it: gzip undone, its character encoding (UTF-16 either way, with
 * or without BOM, or UTF-8) told from its first bytes, whatever its headers claimed — it was refused,
 * so nothing about it is trusted. Never throws: what cannot be undone is shown as it is.
 */
public final class RefusedBodies {
    private static final Pattern CLIENT = Pattern.compile("<ClientID>\\s*(?:GUID:)?([0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12})");

    private RefusedBodies() {
    }

    /** The body's text, at most {@code maxBytes} once inflated. */
    public static String text(byte[] body, String contentEncoding, long maxBytes) {
        if (body == null) {
            return "";
        }
        byte[] bytes = body;
        boolean gzipped = body.length > 2 && (body[0] & 0xFF) == 0x1F && (body[1] & 0xFF) == 0x8B;
        if (gzipped || (contentEncoding != null && contentEncoding.toLowerCase(java.util.Locale.ROOT).contains("gzip"))) {
            bytes = inflated(body, maxBytes);
        }
        return new String(bytes, offset(bytes), bytes.length - offset(bytes), charset(bytes));
    }

    /** How the body was read: "gzip, UTF-16LE" and the like. */
    public static String describe(byte[] body) {
        if (body == null || body.length == 0) {
            return "empty";
        }
        boolean gzipped = body.length > 2 && (body[0] & 0xFF) == 0x1F && (body[1] & 0xFF) == 0x8B;
        byte[] b = gzipped ? inflated(body, 64) : body;
        return (gzipped ? "gzip, " : "") + charset(b).name();
    }

    /** The client the body names in its header, if it names one. */
    public static Optional<UUID> clientId(String text) {
        Matcher m = CLIENT.matcher(text.length() > 8192 ? text.substring(0, 8192) : text);
        if (!m.find()) {
            return Optional.empty();
        }
        try {
            return Optional.of(ClientId.parse("GUID:" + m.group(1)));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** At most {@code maxBytes} of the inflated body (a bomb stops there); what inflated before an error. */
    private static byte[] inflated(byte[] body, long maxBytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(body), 8192)) {
            byte[] buf = new byte[8192];
            int n;
            while (out.size() < maxBytes && (n = in.read(buf, 0, (int) Math.min(buf.length, maxBytes - out.size()))) > 0) {
                out.write(buf, 0, n);
            }
        } catch (IOException e) {
            if (out.size() == 0) {
                return body;
            }
        }
        return out.toByteArray();
    }

    static Charset charset(byte[] b) {
        if (b.length >= 2 && (b[0] & 0xFF) == 0xFF && (b[1] & 0xFF) == 0xFE) {
            return StandardCharsets.UTF_16LE;
        }
        if (b.length >= 2 && (b[0] & 0xFF) == 0xFE && (b[1] & 0xFF) == 0xFF) {
            return StandardCharsets.UTF_16BE;
        }
        if (b.length >= 2 && b[0] == '<' && b[1] == 0) {
            return StandardCharsets.UTF_16LE;
        }
        if (b.length >= 2 && b[0] == 0 && b[1] == '<') {
            return StandardCharsets.UTF_16BE;
        }
        return StandardCharsets.UTF_8;
    }

    private static int offset(byte[] b) {
        if (b.length >= 3 && (b[0] & 0xFF) == 0xEF && (b[1] & 0xFF) == 0xBB && (b[2] & 0xFF) == 0xBF) {
            return 3;
        }
        if (b.length >= 2 && ((b[0] & 0xFF) == 0xFF && (b[1] & 0xFF) == 0xFE || (b[0] & 0xFF) == 0xFE && (b[1] & 0xFF) == 0xFF)) {
            return 2;
        }
        return 0;
    }
}
