package io.statesys.service.identity;

/**
 * The three request fields of a signed request (RFC 9421 over RFC 9530), as sent. All null: an
 * unsigned request.
 */
public record SignatureFields(String contentDigest, String signatureInput, String signature) {
    public static final String CONTENT_DIGEST = "Content-Digest";
    public static final String SIGNATURE_INPUT = "Signature-Input";
    public static final String SIGNATURE = "Signature";

    public boolean absent() {
        return blank(contentDigest) && blank(signatureInput) && blank(signature);
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
