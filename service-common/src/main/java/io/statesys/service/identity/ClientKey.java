package io.statesys.service.identity;

import org.bouncycastle.math.ec.rfc8032.Ed25519;

import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;

/**
 * A client's public key: DER SubjectPublicKeyInfo, Ed25519 or RSA of 2048 to 4096 bits (as
 * Configuration Manager client certificates). Anything else is refused when it is registered.
 */
public record ClientKey(KeyAlgorithm algorithm, PublicKey key, byte[] der, String fingerprint, Ed25519.PublicPoint ed25519Point) {
    public static final int MIN_RSA_BITS = 2048;
    /**
     * Verification costs grow with the modulus and the public exponent: a 16384-bit key, or one with
     * a huge exponent, cost ~15 ms of CPU per verification, and registration verifies before anyone
     * is known. Keys are held to what clients use: at most 4096 bits, an odd exponent below 2^32
     * (65537 in practice).
     */
    public static final int MAX_RSA_BITS = 4096;
    static final java.math.BigInteger MAX_RSA_EXPONENT = java.math.BigInteger.ONE.shiftLeft(32);
    /** A 4096-bit RSA key is about 550 bytes of DER; anything much larger is not a key. */
    static final int MAX_DER_BYTES = 4096;

    /** The DER SubjectPublicKeyInfo of an Ed25519 key is this prefix and the 32-byte key (RFC 8410). */
    private static final byte[] ED25519_SPKI_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");

    /**
     * The decoded Ed25519 point, for the fast verifier: decoding (a square root in the field) was a
     * fifth of every verification when it was done per report; a key is decoded once, when it is
     * read (a cache miss, so the cheap partial check: the key was proven when it was registered).
     */
    private static Ed25519.PublicPoint ed25519Point(KeyAlgorithm a, byte[] der) {
        if (a != KeyAlgorithm.ED25519 || der.length != ED25519_SPKI_PREFIX.length + 32
                || !java.util.Arrays.equals(der, 0, ED25519_SPKI_PREFIX.length, ED25519_SPKI_PREFIX, 0, ED25519_SPKI_PREFIX.length)) {
            return null;
        }
        return Ed25519.validatePublicKeyPartialExport(der, ED25519_SPKI_PREFIX.length);
    }

    /** From the registration's {@code publicKey}: base64 of the DER SubjectPublicKeyInfo. */
    public static ClientKey fromBase64(String base64) {
        if (base64 == null || base64.isBlank()) {
            throw new InvalidKeyException("publicKey: missing");
        }
        if (base64.length() > MAX_DER_BYTES * 2) {
            throw new InvalidKeyException("publicKey: longer than " + MAX_DER_BYTES + " bytes");
        }
        byte[] der;
        try {
            der = Base64.getDecoder().decode(base64.trim());
        } catch (IllegalArgumentException e) {
            throw new InvalidKeyException("publicKey: not base64");
        }
        return fromDer(der);
    }

    public static ClientKey fromDer(byte[] der) {
        for (KeyAlgorithm a : KeyAlgorithm.values()) {
            PublicKey key;
            try {
                key = KeyFactory.getInstance(a.jcaKey()).generatePublic(new X509EncodedKeySpec(der));
            } catch (InvalidKeySpecException | RuntimeException e) {
                continue;
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
            if (key instanceof RSAPublicKey rsa) {
                int bits = rsa.getModulus().bitLength();
                if (bits < MIN_RSA_BITS || bits > MAX_RSA_BITS) {
                    throw new InvalidKeyException("publicKey: RSA key of " + bits + " bits; " + MIN_RSA_BITS + " to "
                            + MAX_RSA_BITS + " are taken");
                }
                java.math.BigInteger e = rsa.getPublicExponent();
                if (!e.testBit(0) || e.compareTo(java.math.BigInteger.valueOf(3)) < 0 || e.compareTo(MAX_RSA_EXPONENT) >= 0) {
                    throw new InvalidKeyException("publicKey: RSA public exponent must be odd, at least 3 and below 2^32 (65537 as usual)");
                }
            }
            return new ClientKey(a, key, der.clone(), fingerprint(der), ed25519Point(a, der));
        }
        throw new InvalidKeyException("publicKey: not a DER SubjectPublicKeyInfo of an Ed25519 or RSA key");
    }

    /** Hex SHA-256 of the DER key. */
    public static String fingerprint(byte[] der) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(der));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A key that cannot be registered. */
    public static class InvalidKeyException extends RuntimeException {
        public InvalidKeyException(String message) {
            super(message);
        }
    }
}
