package io.statesys.core.signing;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.Base64;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class RequestSignerTest {
    private static final long CREATED = 1_764_000_000L;

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void anEd25519SignatureIsTheOneTheJdkMakesAndVerifies(long seed) throws Exception {
        Random random = new Random(seed);
        byte[] body = new byte[random.nextInt(40_000)];
        random.nextBytes(body);
        KeyPair keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();

        RequestSigner.Fields f = RequestSigner.sign(body, CREATED, List.of(new RequestSigner.Signer("statesys", "c-" + seed, "ed25519", keys.getPrivate())));

        byte[] base = RequestSigner.signatureBase(RequestSigner.contentDigest(body), params("c-" + seed, "ed25519")).getBytes(StandardCharsets.US_ASCII);
        Signature jdk = Signature.getInstance("Ed25519");
        jdk.initSign(keys.getPrivate());
        jdk.update(base);
        assertThat(signature(f)).isEqualTo(jdk.sign());
        jdk.initVerify(keys.getPublic());
        jdk.update(base);
        assertThat(jdk.verify(signature(f))).isTrue();
        assertThat(f.contentDigest()).isEqualTo(RequestSigner.contentDigest(body));
        assertThat(f.signatureInput()).isEqualTo("statesys=" + params("c-" + seed, "ed25519"));
    }

    @Test
    void theSameKeySignsManyBodiesAndEachSignatureVerifies() throws Exception {
        KeyPair keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        KeyPair other = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        Random random = new Random(42);
        for (int i = 0; i < 20; i++) {
            KeyPair k = i % 3 == 0 ? other : keys;
            byte[] body = new byte[1 + random.nextInt(2_000)];
            random.nextBytes(body);
            RequestSigner.Fields f = RequestSigner.sign(body, CREATED, List.of(new RequestSigner.Signer("statesys", "c", "ed25519", k.getPrivate())));
            Signature v = Signature.getInstance("Ed25519");
            v.initVerify(k.getPublic());
            v.update(RequestSigner.signatureBase(RequestSigner.contentDigest(body), params("c", "ed25519")).getBytes(StandardCharsets.US_ASCII));
            assertThat(v.verify(signature(f))).as("signature %d", i).isTrue();
        }
    }

    @Test
    void anRsaSignatureStillGoesThroughTheJdk() throws Exception {
        byte[] body = "<Report/>".getBytes(StandardCharsets.UTF_8);
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        KeyPair keys = g.generateKeyPair();

        RequestSigner.Fields f = RequestSigner.sign(body, CREATED, List.of(new RequestSigner.Signer("statesys", "c", "rsa-v1_5-sha256", keys.getPrivate())));

        Signature v = Signature.getInstance("SHA256withRSA");
        v.initVerify(keys.getPublic());
        v.update(RequestSigner.signatureBase(RequestSigner.contentDigest(body), params("c", "rsa-v1_5-sha256")).getBytes(StandardCharsets.US_ASCII));
        assertThat(v.verify(signature(f))).isTrue();
    }

    private static String params(String keyid, String alg) {
        return "(\"content-digest\");created=" + CREATED + ";keyid=\"" + keyid + "\";alg=\"" + alg + "\"";
    }

    private static byte[] signature(RequestSigner.Fields f) {
        String s = f.signature();
        return Base64.getDecoder().decode(s.substring(s.indexOf("=:") + 2, s.length() - 1));
    }
}
