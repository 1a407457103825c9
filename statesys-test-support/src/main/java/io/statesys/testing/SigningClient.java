package io.statesys.testing;

import io.restassured.specification.RequestSpecification;
import io.statesys.core.report.ClientId;
import io.statesys.core.signing.RequestSigner;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;

/** A test client with its own key pair: registers, and signs what it sends, as a real client does. */
public final class SigningClient {
    private final UUID client;
    private String alg;
    private KeyPair keys;

    private SigningClient(UUID client, String alg, KeyPair keys) {
        this.client = client;
        this.alg = alg;
        this.keys = keys;
    }

    public static SigningClient ed25519() {
        return new SigningClient(UUID.randomUUID(), "ed25519", generate("Ed25519", 0));
    }

    public static SigningClient rsa2048() {
        return new SigningClient(UUID.randomUUID(), "rsa-v1_5-sha256", generate("RSA", 2048));
    }

    public static KeyPair generate(String algorithm, int bits) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance(algorithm);
            if (bits > 0) {
                g.initialize(bits);
            }
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public UUID client() {
        return client;
    }

    public String clientId() {
        return ClientId.format(client);
    }

    public KeyPair keys() {
        return keys;
    }

    public String alg() {
        return alg;
    }

    /** A report of this client (detections of {@code messages} updates), UTF-16 as real clients send. */
    public byte[] report(long firstSerial, int messages) {
        return Reports.forClient(client).detections(firstSerial, firstSerial + messages - 1, java.time.Instant.now()).utf16();
    }

    /** The registration body for a key (normally this client's own). */
    public byte[] registration(KeyPair key) {
        return ("{\"clientId\":\"" + clientId() + "\",\"netbiosName\":\"WKS-TEST\",\"publicKey\":\""
                + Base64.getEncoder().encodeToString(key.getPublic().getEncoded()) + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    /** A request carrying {@code body} signed by this client's key (label statesys). */
    public RequestSpecification signed(byte[] body) {
        return with(given(), RequestSigner.sign(body, clientId(), alg, keys.getPrivate())).body(body);
    }

    /** Signed as if by this client, but with another key: what a spoofer can do. */
    public RequestSpecification signedWith(KeyPair other, String otherAlg, byte[] body) {
        return with(given(), RequestSigner.sign(body, clientId(), otherAlg, other.getPrivate())).body(body);
    }

    /** A rotation: the new key signs (statesys), the registered one countersigns (previous). */
    public RequestSpecification rotationTo(KeyPair next, String nextAlg, byte[] body) {
        RequestSigner.Fields f = RequestSigner.sign(body, System.currentTimeMillis() / 1000, List.of(
                new RequestSigner.Signer("statesys", clientId(), nextAlg, next.getPrivate()),
                new RequestSigner.Signer("previous", clientId(), alg, keys.getPrivate())));
        return with(given(), f).body(body);
    }

    /** After a successful rotation. */
    public void rotated(KeyPair next, String nextAlg) {
        this.keys = next;
        this.alg = nextAlg;
    }

    public static RequestSpecification with(RequestSpecification spec, RequestSigner.Fields f) {
        return spec.header("Content-Digest", f.contentDigest()).header("Signature-Input", f.signatureInput())
                .header("Signature", f.signature());
    }
}
