package io.statesys.core.signing;

import org.bouncycastle.math.ec.rfc8032.Ed25519;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.interfaces.EdECPrivateKey;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Signs a request body the way Statesys clients do (docs/api.md, "Client identity"): an RFC 9530
 * Content-Digest of the body bytes exactly as sent, and RFC 9421 signatures covering it. Used by
 * the simulated clients, {@code statesys-sim send} and tests; the services verify with
 * {@code service-common}'s {@code MessageSignatures}, over the same {@link #signatureBase}.
 */
public final class RequestSigner {
    private static final Map<PrivateKey, byte[]> PUBLIC_KEYS = new WeakHashMap<>();

    private RequestSigner() {
    }

    /** One signature: its label ({@code statesys}, or {@code previous} in a key rotation), key id, alg and key. */
    public record Signer(String label, String keyid, String alg, PrivateKey key) {
    }

    /** The three request fields. */
    public record Fields(String contentDigest, String signatureInput, String signature) {
    }

    public static Fields sign(byte[] body, String keyid, String alg, PrivateKey key) {
        return sign(body, System.currentTimeMillis() / 1000, List.of(new Signer("statesys", keyid, alg, key)));
    }

    public static Fields sign(byte[] body, long created, List<Signer> signers) {
        String digest = contentDigest(body);
        StringBuilder input = new StringBuilder();
        StringBuilder signature = new StringBuilder();
        for (Signer s : signers) {
            String params = "(\"content-digest\");created=" + created + ";keyid=\"" + s.keyid() + "\";alg=\"" + s.alg() + "\"";
            byte[] sig = signBytes(s, signatureBase(digest, params));
            if (input.length() > 0) {
                input.append(", ");
                signature.append(", ");
            }
            input.append(s.label()).append('=').append(params);
            signature.append(s.label()).append("=:").append(Base64.getEncoder().encodeToString(sig)).append(':');
        }
        return new Fields(digest, input.toString(), signature.toString());
    }

    /** RFC 9421 §2.5: the covered component, then the signature parameters; no trailing newline. */
    public static String signatureBase(String contentDigest, String signatureParams) {
        return "\"content-digest\": " + contentDigest + "\n\"@signature-params\": " + signatureParams;
    }

    /** The Content-Digest field value of a body (RFC 9530, sha-256). */
    public static String contentDigest(byte[] body) {
        return "sha-256=:" + Base64.getEncoder().encodeToString(sha256(body)) + ":";
    }

    public static byte[] sha256(byte[] body) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The encoded public key of an Ed25519 private key, derived once per key: deriving it is a
     * scalar multiplication, half the cost of a signature. Weak keys: a client's key pair lives as
     * long as the client.
     */
    private static byte[] publicKeyOf(EdECPrivateKey key, byte[] secret) {
        synchronized (PUBLIC_KEYS) {
            return PUBLIC_KEYS.computeIfAbsent(key, k -> {
                byte[] pk = new byte[Ed25519.PUBLIC_KEY_SIZE];
                Ed25519.generatePublicKey(secret, 0, pk, 0);
                return pk;
            });
        }
    }

    private static byte[] signBytes(Signer s, String base) {
        byte[] data = base.getBytes(StandardCharsets.US_ASCII);
        if ("ed25519".equals(s.alg()) && s.key() instanceof EdECPrivateKey ed && ed.getBytes().isPresent()) {
            // Ed25519 is deterministic: the same signature as the JDK's, in a tenth of its time (the
            // simulator signs every report of thousands of clients on the machine it measures)
            byte[] secret = ed.getBytes().get();
            byte[] sig = new byte[Ed25519.SIGNATURE_SIZE];
            Ed25519.sign(secret, 0, publicKeyOf(ed, secret), 0, null, data, 0, data.length, sig, 0);
            return sig;
        }
        try {
            java.security.Signature sig = java.security.Signature.getInstance(
                    "ed25519".equals(s.alg()) ? "Ed25519" : "SHA256withRSA");
            sig.initSign(s.key());
            sig.update(data);
            return sig.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign with " + s.alg() + ": " + e.getMessage(), e);
        }
    }
}
