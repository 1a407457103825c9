package io.statesys.service.identity;

import java.util.Optional;

/** The signature algorithms a client key may use, by their RFC 9421 {@code alg} names. */
public enum KeyAlgorithm {
    ED25519("ed25519", "Ed25519", "Ed25519"),
    RSA_V1_5_SHA256("rsa-v1_5-sha256", "SHA256withRSA", "RSA");

    private final String alg;
    private final String jcaSignature;
    private final String jcaKey;

    KeyAlgorithm(String alg, String jcaSignature, String jcaKey) {
        this.alg = alg;
        this.jcaSignature = jcaSignature;
        this.jcaKey = jcaKey;
    }

    /** The name in {@code Signature-Input}'s {@code alg} parameter and in the database. */
    public String alg() {
        return alg;
    }

    String jcaSignature() {
        return jcaSignature;
    }

    String jcaKey() {
        return jcaKey;
    }

    public static Optional<KeyAlgorithm> ofAlg(String alg) {
        for (KeyAlgorithm a : values()) {
            if (a.alg.equals(alg)) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }
}
