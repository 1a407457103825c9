package io.statesys.core.codec;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/** The encodings a report may travel in; UTF-16 variants carry a BOM, as real clients send. */
public enum XmlEncoding {
    UTF_8("UTF-8", StandardCharsets.UTF_8, new byte[0]),
    UTF_16LE("UTF-16", StandardCharsets.UTF_16LE, new byte[] {(byte) 0xFF, (byte) 0xFE}),
    UTF_16BE("UTF-16", StandardCharsets.UTF_16BE, new byte[] {(byte) 0xFE, (byte) 0xFF});

    private final String declared;
    private final Charset charset;
    private final byte[] bom;

    XmlEncoding(String declared, Charset charset, byte[] bom) {
        this.declared = declared;
        this.charset = charset;
        this.bom = bom;
    }

    public String declared() {
        return declared;
    }

    public Charset charset() {
        return charset;
    }

    public byte[] bom() {
        return bom.clone();
    }
}
