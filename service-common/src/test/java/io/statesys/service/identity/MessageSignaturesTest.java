package io.statesys.service.identity;

import io.statesys.core.signing.RequestSigner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MessageSignaturesTest {
    private static final String CLIENT = "GUID:2B6C1D4E-7A0F-4C55-9E1B-0F3C2A9D8E71";
    private static final byte[] BODY = "<Report>…</Report>".getBytes(StandardCharsets.UTF_8);

    static KeyPair keys(String algorithm, int bits) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance(algorithm);
        if (bits > 0) {
            g.initialize(bits);
        }
        return g.generateKeyPair();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ed25519", "rsa-v1_5-sha256"})
    void aSignatureByTheRegisteredKeyVerifies(String alg) throws Exception {
        KeyPair kp = alg.equals("ed25519") ? keys("Ed25519", 0) : keys("RSA", 2048);
        RequestSigner.Fields f = RequestSigner.sign(BODY, CLIENT, alg, kp.getPrivate());
        Map<String, MessageSignatures.Signed> read = MessageSignatures.read(fields(f), BODY, Set.of("statesys"));
        MessageSignatures.Signed s = read.get("statesys");
        assertThat(s.keyid()).isEqualTo(CLIENT);
        MessageSignatures.verify(s, ClientKey.fromDer(kp.getPublic().getEncoded()));
    }

    @Test
    void anyFlippedBitOfAnEd25519SignatureOrBaseFailsAndTheFastVerifierAgreesWithTheJdks() throws Exception {
        KeyPair kp = keys("Ed25519", 0);
        ClientKey key = ClientKey.fromDer(kp.getPublic().getEncoded());
        assertThat(key.ed25519Point()).isNotNull(); // the fast verifier's path
        java.util.Random r = new java.util.Random(7);
        for (int i = 0; i < 200; i++) {
            byte[] body = new byte[1 + r.nextInt(400)];
            r.nextBytes(body);
            RequestSigner.Fields f = RequestSigner.sign(body, CLIENT, "ed25519", kp.getPrivate());
            MessageSignatures.Signed s = MessageSignatures.read(fields(f), body, Set.of("statesys")).get("statesys");
            assertThat(MessageSignatures.holds(s, key)).isTrue();
            assertThat(MessageSignatures.holds(s, kp.getPublic())).isTrue();
            byte[] bad = s.signature().clone();
            bad[r.nextInt(bad.length)] ^= (byte) (1 << r.nextInt(8));
            MessageSignatures.Signed flipped = new MessageSignatures.Signed(s.label(), s.created(), s.expires(), s.keyid(), s.algorithm(), bad, s.signatureBase());
            assertThat(MessageSignatures.holds(flipped, key)).isFalse();
            assertThat(MessageSignatures.holds(flipped, kp.getPublic())).isFalse();
            MessageSignatures.Signed shortSig = new MessageSignatures.Signed(s.label(), s.created(), s.expires(), s.keyid(), s.algorithm(),
                    java.util.Arrays.copyOf(s.signature(), 63), s.signatureBase());
            assertThat(MessageSignatures.holds(shortSig, key)).isFalse();
        }
    }

    @Test
    void anotherKeysSignatureDoesNotVerify() throws Exception {
        KeyPair mine = keys("Ed25519", 0);
        KeyPair other = keys("Ed25519", 0);
        RequestSigner.Fields f = RequestSigner.sign(BODY, CLIENT, "ed25519", other.getPrivate());
        MessageSignatures.Signed s = MessageSignatures.read(fields(f), BODY, Set.of("statesys")).get("statesys");
        assertThatThrownBy(() -> MessageSignatures.verify(s, ClientKey.fromDer(mine.getPublic().getEncoded())))
                .isInstanceOf(InvalidSignatureException.class);
    }

    @Test
    void aChangedBodyNoLongerMatchesItsDigest() throws Exception {
        RequestSigner.Fields f = RequestSigner.sign(BODY, CLIENT, "ed25519", keys("Ed25519", 0).getPrivate());
        byte[] changed = "<Report>!</Report>".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> MessageSignatures.read(fields(f), changed, Set.of("statesys")))
                .isInstanceOf(InvalidSignatureException.class).hasMessageContaining("Content-Digest");
    }

    @Test
    void anAlgorithmOtherThanTheKeysIsRefused() throws Exception {
        KeyPair ed = keys("Ed25519", 0);
        RequestSigner.Fields f = RequestSigner.sign(BODY, CLIENT, "ed25519", ed.getPrivate());
        MessageSignatures.Signed s = MessageSignatures.read(fields(f), BODY, Set.of("statesys")).get("statesys");
        ClientKey rsa = ClientKey.fromDer(keys("RSA", 2048).getPublic().getEncoded());
        assertThatThrownBy(() -> MessageSignatures.verify(s, rsa)).isInstanceOf(InvalidSignatureException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "statesys=(\"content-digest\";created=1;keyid=\"x\";alg=\"ed25519\"",     // unclosed inner list
            "statesys=(content-digest);created=1;keyid=\"x\";alg=\"ed25519\"",        // token, not a string
            "statesys=(\"content-digest\");keyid=\"x\";alg=\"ed25519\"",              // no created
            "statesys=(\"content-digest\");created=1;alg=\"ed25519\"",                // no keyid
            "statesys=(\"content-digest\");created=1;keyid=\"x\"",                    // no alg
            "statesys=(\"content-digest\");created=1;keyid=\"x\";alg=\"hmac-sha256\"", // unknown alg
            "statesys=(\"content-digest\" \"@method\");created=1;keyid=\"x\";alg=\"ed25519\"", // more than the digest
            "statesys=();created=1;keyid=\"x\";alg=\"ed25519\"",                      // covers nothing
            "other=(\"content-digest\");created=1;keyid=\"x\";alg=\"ed25519\"",       // wrong label
            "statesys=(\"content-digest\");created=1;keyid=x;alg=\"ed25519\"",        // unquoted keyid
            "statesys=(\"content-digest\");created=1.5;keyid=\"x\";alg=\"ed25519\"",  // created not an integer
            "statesys=\"content-digest\"",                                           // an item, not an inner list
            "statesys=(\"content-digest\");created=1;keyid=\"x\";alg=\"ed25519\", statesys2=(\"content-digest\");created=1;keyid=\"x\";alg=\"ed25519\""
    })
    void malformedSignatureInputIsAnInvalidSignature(String input) {
        SignatureFields f = new SignatureFields(RequestSigner.contentDigest(BODY), input, "statesys=:AAAA:");
        assertThatThrownBy(() -> MessageSignatures.read(f, BODY, Set.of("statesys"))).isInstanceOf(InvalidSignatureException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"statesys=AAAA", "statesys=:not base64!:", "statesys=\"AAAA\"", ":AAAA:", "statesys=:AAAA", ""})
    void malformedSignatureIsAnInvalidSignature(String signature) throws Exception {
        RequestSigner.Fields f = RequestSigner.sign(BODY, CLIENT, "ed25519", keys("Ed25519", 0).getPrivate());
        SignatureFields bad = new SignatureFields(f.contentDigest(), f.signatureInput(), signature);
        assertThatThrownBy(() -> MessageSignatures.read(bad, BODY, Set.of("statesys"))).isInstanceOf(InvalidSignatureException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sha-512=:AAAA:", "sha-256=AAAA", "sha-256=:AAAA:", "sha-256", "md5=:AAAA:"})
    void aDigestThatIsNotTheBodysSha256IsRefused(String digest) throws Exception {
        RequestSigner.Fields f = RequestSigner.sign(BODY, CLIENT, "ed25519", keys("Ed25519", 0).getPrivate());
        SignatureFields bad = new SignatureFields(digest, f.signatureInput(), f.signature());
        assertThatThrownBy(() -> MessageSignatures.read(bad, BODY, Set.of("statesys"))).isInstanceOf(InvalidSignatureException.class);
    }

    @Test
    void hugeFieldsAreRefusedBeforeParsing() throws Exception {
        RequestSigner.Fields f = RequestSigner.sign(BODY, CLIENT, "ed25519", keys("Ed25519", 0).getPrivate());
        SignatureFields huge = new SignatureFields(f.contentDigest(), f.signatureInput(), "statesys=:" + "A".repeat(100_000) + ":");
        assertThatThrownBy(() -> MessageSignatures.read(huge, BODY, Set.of("statesys")))
                .isInstanceOf(InvalidSignatureException.class).hasMessageContaining("longer than");
    }

    @Test
    void aRotationCarriesTwoLabelledSignatures() throws Exception {
        KeyPair oldKey = keys("Ed25519", 0);
        KeyPair newKey = keys("RSA", 2048);
        RequestSigner.Fields f = RequestSigner.sign(BODY, 1_700_000_000L, List.of(
                new RequestSigner.Signer("statesys", CLIENT, "rsa-v1_5-sha256", newKey.getPrivate()),
                new RequestSigner.Signer("previous", CLIENT, "ed25519", oldKey.getPrivate())));
        Map<String, MessageSignatures.Signed> read = MessageSignatures.read(fields(f), BODY, Set.of("statesys", "previous"));
        MessageSignatures.verify(read.get("statesys"), ClientKey.fromDer(newKey.getPublic().getEncoded()));
        MessageSignatures.verify(read.get("previous"), ClientKey.fromDer(oldKey.getPublic().getEncoded()));
        assertThatThrownBy(() -> MessageSignatures.read(fields(f), BODY, Set.of("statesys")))
                .isInstanceOf(InvalidSignatureException.class).hasMessageContaining("previous");
    }

    @Test
    void keysAreEd25519OrRsaOfAtLeast2048Bits() throws Exception {
        assertThat(ClientKey.fromDer(keys("Ed25519", 0).getPublic().getEncoded()).algorithm()).isEqualTo(KeyAlgorithm.ED25519);
        assertThat(ClientKey.fromDer(keys("RSA", 2048).getPublic().getEncoded()).algorithm()).isEqualTo(KeyAlgorithm.RSA_V1_5_SHA256);
        byte[] rsa1024 = keys("RSA", 1024).getPublic().getEncoded();
        assertThatThrownBy(() -> ClientKey.fromDer(rsa1024)).isInstanceOf(ClientKey.InvalidKeyException.class).hasMessageContaining("2048");
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(new ECGenParameterSpec("secp256r1"));
        byte[] ecKey = ec.generateKeyPair().getPublic().getEncoded();
        assertThatThrownBy(() -> ClientKey.fromDer(ecKey)).isInstanceOf(ClientKey.InvalidKeyException.class);
        assertThatThrownBy(() -> ClientKey.fromBase64("not base64!")).isInstanceOf(ClientKey.InvalidKeyException.class);
        assertThatThrownBy(() -> ClientKey.fromBase64(Base64.getEncoder().encodeToString(new byte[] {1, 2, 3})))
                .isInstanceOf(ClientKey.InvalidKeyException.class);
    }

    private static SignatureFields fields(RequestSigner.Fields f) {
        return new SignatureFields(f.contentDigest(), f.signatureInput(), f.signature());
    }
}
