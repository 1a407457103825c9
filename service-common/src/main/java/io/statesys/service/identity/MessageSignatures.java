package io.statesys.service.identity;

import io.statesys.core.signing.RequestSigner;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.greenbytes.http.sfv.ByteSequenceItem;
import org.greenbytes.http.sfv.Dictionary;
import org.greenbytes.http.sfv.InnerList;
import org.greenbytes.http.sfv.IntegerItem;
import org.greenbytes.http.sfv.Item;
import org.greenbytes.http.sfv.ListElement;
import org.greenbytes.http.sfv.Parameters;
import org.greenbytes.http.sfv.Parser;
import org.greenbytes.http.sfv.StringItem;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.statesys.core.text.Abbreviation.abbreviate;

/**
 * HTTP Message Signatures (RFC 9421) over a Content-Digest (RFC 9530), as clients sign their
 * requests: one signature labelled {@value #LABEL} covering exactly {@code ("content-digest")},
 * with {@code created}, {@code keyid} and {@code alg} parameters. The three fields are RFC 8941
 * dictionaries, parsed with a structured-fields parser; anything that does not fit is
 * {@link InvalidSignatureException}.
 */
public final class MessageSignatures {
    public static final String LABEL = "statesys";
    /** The second signature of a key rotation: made with the key registered until now. */
    public static final String PREVIOUS = "previous";
    /** Longer fields are not signatures of ours (an RSA-16384 signature is ~2.8 KB of base64). */
    static final int MAX_FIELD_CHARS = 8192;

    private MessageSignatures() {
    }

    /** One checked signature, ready to be verified against the key of {@code keyid}; {@code expires} null when absent. */
    public record Signed(String label, long created, Long expires, String keyid, KeyAlgorithm algorithm, byte[] signature,
                         String signatureBase) {
    }

    /**
     * A signature is taken only while it is fresh: its {@code created} within {@code window} of now,
     * either way (clients' clocks drift), and its {@code expires}, when it has one, not passed
     * (RFC 9421). So a captured report cannot be replayed later to roll a client's sender fields
     * back or, after the client is retired, to bring its old states back.
     */
    public static void checkFresh(Signed s, java.time.Instant now, java.time.Duration window) {
        long at = now.getEpochSecond();
        if (Math.abs(at - s.created()) > window.toSeconds()) {
            throw new InvalidSignatureException("signature '" + s.label() + "' created " + s.created() + " is more than "
                    + window.toHours() + " h from now (" + at + "; statesys.identity.signature-window)");
        }
        if (s.expires() != null && s.expires() < at) {
            throw new InvalidSignatureException("signature '" + s.label() + "' expired at " + s.expires() + " (now " + at + ")");
        }
    }

    /**
     * Checks the digest against the body bytes exactly as sent and reads the signatures; the labels
     * must include {@value #LABEL} and be among {@code allowedLabels}.
     */
    public static Map<String, Signed> read(SignatureFields f, byte[] body, Set<String> allowedLabels) {
        String digest = field(SignatureFields.CONTENT_DIGEST, f.contentDigest());
        String input = field(SignatureFields.SIGNATURE_INPUT, f.signatureInput());
        String signature = field(SignatureFields.SIGNATURE, f.signature());
        checkDigest(dictionary(SignatureFields.CONTENT_DIGEST, digest), body);

        Map<String, ListElement<?>> inputs = dictionary(SignatureFields.SIGNATURE_INPUT, input).get();
        Map<String, ListElement<?>> signatures = dictionary(SignatureFields.SIGNATURE, signature).get();
        if (!inputs.containsKey(LABEL)) {
            throw new InvalidSignatureException("Signature-Input: no signature labelled '" + LABEL + "'");
        }
        if (!inputs.keySet().equals(signatures.keySet())) {
            throw new InvalidSignatureException("Signature and Signature-Input name different labels");
        }
        Map<String, Signed> out = new LinkedHashMap<>();
        for (Map.Entry<String, ListElement<?>> e : inputs.entrySet()) {
            String label = e.getKey();
            if (!allowedLabels.contains(label)) {
                throw new InvalidSignatureException("Signature-Input: unexpected label '" + label + "'");
            }
            out.put(label, signed(label, e.getValue(), signatures.get(label), digest.trim()));
        }
        return out;
    }

    /** Verifies one signature with the client's key; {@link InvalidSignatureException} if it does not hold. */
    public static void verify(Signed s, ClientKey key) {
        if (s.algorithm() != key.algorithm()) {
            throw new InvalidSignatureException("alg '" + s.algorithm().alg() + "' is not the registered key's ("
                    + key.algorithm().alg() + ")");
        }
        if (!holds(s, key)) {
            throw new InvalidSignatureException("signature '" + s.label() + "' does not verify with the key of " + s.keyid());
        }
    }

    /**
     * Ed25519 is verified with BouncyCastle's RFC 8032 implementation: the JDK's (SunEC) takes about
     * eight times as long, which made it most of the relay's CPU per report (`./statesys bench verify` measures both).
     */
    static boolean holds(Signed s, ClientKey key) {
        Ed25519.PublicPoint point = key.ed25519Point();
        if (point != null) {
            byte[] base = s.signatureBase().getBytes(StandardCharsets.US_ASCII);
            return s.signature().length == Ed25519.SIGNATURE_SIZE
                    && Ed25519.verify(s.signature(), 0, point, base, 0, base.length);
        }
        return holds(s, key.key());
    }

    static boolean holds(Signed s, PublicKey key) {
        try {
            Signature v = Signature.getInstance(s.algorithm().jcaSignature());
            v.initVerify(key);
            v.update(s.signatureBase().getBytes(StandardCharsets.US_ASCII));
            return v.verify(s.signature());
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    private static Signed signed(String label, ListElement<?> input, ListElement<?> signature, String digest) {
        if (!(input instanceof InnerList list)) {
            throw new InvalidSignatureException("Signature-Input '" + label + "': not an inner list");
        }
        List<Item<?>> components = list.get();
        if (components.size() != 1 || !(components.get(0) instanceof StringItem c) || !"content-digest".equals(c.get())
                || !c.getParams().isEmpty()) {
            throw new InvalidSignatureException("Signature-Input '" + label + "': must cover exactly (\"content-digest\")");
        }
        Parameters p = list.getParams();
        if (!(p.get("created") instanceof IntegerItem created)) {
            throw new InvalidSignatureException("Signature-Input '" + label + "': created missing or not an integer");
        }
        Object expires = p.get("expires");
        if (expires != null && !(expires instanceof IntegerItem)) {
            throw new InvalidSignatureException("Signature-Input '" + label + "': expires not an integer");
        }
        if (!(p.get("keyid") instanceof StringItem keyid)) {
            throw new InvalidSignatureException("Signature-Input '" + label + "': keyid missing or not a string");
        }
        if (!(p.get("alg") instanceof StringItem alg)) {
            throw new InvalidSignatureException("Signature-Input '" + label + "': alg missing or not a string");
        }
        KeyAlgorithm algorithm = KeyAlgorithm.ofAlg(alg.get()).orElseThrow(() -> new InvalidSignatureException(
                "Signature-Input '" + label + "': unknown alg '" + abbreviate(alg.get()) + "'"));
        if (!(signature instanceof ByteSequenceItem bytes)) {
            throw new InvalidSignatureException("Signature '" + label + "': not a byte sequence");
        }
        return new Signed(label, created.getAsLong(), expires == null ? null : ((IntegerItem) expires).getAsLong(), keyid.get(),
                algorithm, bytes(bytes.get()),
                RequestSigner.signatureBase(digest, list.serialize()));
    }

    private static void checkDigest(Dictionary digest, byte[] body) {
        ListElement<?> sha256 = digest.get().get("sha-256");
        if (!(sha256 instanceof ByteSequenceItem expected)) {
            throw new InvalidSignatureException("Content-Digest: no sha-256 byte sequence");
        }
        if (!MessageDigest.isEqual(bytes(expected.get()), RequestSigner.sha256(body))) {
            throw new InvalidSignatureException("Content-Digest: sha-256 does not match the body");
        }
    }

    private static String field(String name, String value) {
        if (value == null || value.isBlank()) {
            throw new InvalidSignatureException(name + ": missing");
        }
        if (value.length() > MAX_FIELD_CHARS) {
            throw new InvalidSignatureException(name + ": longer than " + MAX_FIELD_CHARS + " characters");
        }
        return value;
    }

    private static Dictionary dictionary(String name, String value) {
        try {
            return Parser.parseDictionary(value);
        } catch (IllegalArgumentException e) {
            throw new InvalidSignatureException(name + ": not a structured-field dictionary (" + abbreviate(String.valueOf(e.getMessage())) + ")");
        }
    }

    private static byte[] bytes(ByteBuffer b) {
        ByteBuffer d = b.duplicate();
        byte[] out = new byte[d.remaining()];
        d.get(out);
        return out;
    }

}
