package io.statesys.sim.client;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/** A client's Ed25519 key pair, created when the client is born and kept with its state. */
public final class ClientKeys {
    private ClientKeys() {
    }

    public static KeyPair generate() {
        try {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Two lines: base64 PKCS#8 private key, base64 X.509 public key. */
    public static String encode(KeyPair keys) {
        Base64.Encoder b = Base64.getEncoder();
        return b.encodeToString(keys.getPrivate().getEncoded()) + "\n" + b.encodeToString(keys.getPublic().getEncoded()) + "\n";
    }

    public static KeyPair decode(String text) {
        String[] lines = text.trim().split("\n");
        try {
            KeyFactory f = KeyFactory.getInstance("Ed25519");
            Base64.Decoder b = Base64.getDecoder();
            return new KeyPair(f.generatePublic(new X509EncodedKeySpec(b.decode(lines[1].trim()))),
                    f.generatePrivate(new PKCS8EncodedKeySpec(b.decode(lines[0].trim()))));
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new IllegalArgumentException("not a key file of ClientKeys.encode: " + e.getMessage(), e);
        }
    }
}
