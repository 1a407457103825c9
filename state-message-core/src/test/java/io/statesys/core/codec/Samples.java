package io.statesys.core.codec;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

final class Samples {
    private Samples() {
    }

    static String text(String name) {
        try (InputStream in = Samples.class.getResourceAsStream("/reports/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The document re-encoded as a client would send it; the declaration is rewritten to match. */
    static byte[] encoded(String xml, XmlEncoding enc, boolean bom) {
        String declared = xml.replaceFirst("encoding=\"[^\"]+\"", "encoding=\"" + enc.declared() + "\"");
        byte[] body = declared.getBytes(enc.charset());
        if (!bom) {
            return body;
        }
        byte[] b = enc.bom();
        byte[] out = new byte[b.length + body.length];
        System.arraycopy(b, 0, out, 0, b.length);
        System.arraycopy(body, 0, out, b.length, body.length);
        return out;
    }
}
