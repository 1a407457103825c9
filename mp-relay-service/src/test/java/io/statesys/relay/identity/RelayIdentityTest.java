package io.statesys.relay.identity;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.statesys.core.signing.RequestSigner;
import io.statesys.service.identity.ClientKey;
import io.statesys.service.identity.EnrolmentTokens;
import io.statesys.service.identity.KeyCache;
import io.statesys.testing.SigningClient;
import io.statesys.testing.contract.IdentityEnforced;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/** Client identity at the relay, enforced (docs/api.md, "Client identity"): every row of its tables. */
@QuarkusTest
@TestProfile(IdentityEnforced.class)
class RelayIdentityTest {
    @Inject
    KeyCache keys;

    static final String REGISTER = "/api/v1/clients/registrations";
    static final String REPORTS = "/api/v1/statemessages";

    @Inject
    Pool pool;
    @Inject
    EnrolmentTokens tokens;

    String token() {
        return tokens.create(pool, Duration.ofDays(1)).await().indefinitely().token();
    }

    SigningClient registered(SigningClient c) {
        c.signed(c.registration(c.keys())).header("Authorization", "Bearer " + token()).contentType("application/json")
                .post(REGISTER).then().statusCode(201).body("status", equalTo("approved"));
        return c;
    }

    long count(String sql, UUID client) {
        return pool.preparedQuery(sql).execute(Tuple.of(client)).await().indefinitely().iterator().next().getLong(0);
    }

    @Test
    void aClientRegisteredWithAValidTokenIsApprovedAndItsSignedReportsAreAccepted() {
        SigningClient c = SigningClient.ed25519();
        c.signed(c.registration(c.keys())).header("Authorization", "Bearer " + token()).contentType("application/json")
                .post(REGISTER).then().statusCode(201)
                .body("clientId", equalTo(c.clientId()))
                .body("status", equalTo("approved"))
                .body("keyFingerprint", equalTo(ClientKey.fingerprint(c.keys().getPublic().getEncoded())));
        c.signed(c.report(1, 3)).contentType("text/xml").post(REPORTS).then().statusCode(202).body("messages", equalTo(3));
        assertThat(count("SELECT count(*) FROM inbox WHERE client_id = $1 AND source = 'mp'", c.client())).isEqualTo(1);
    }

    @Test
    void anRsa2048ClientWorksTheSameWay() {
        SigningClient c = registered(SigningClient.rsa2048());
        c.signed(c.report(1, 2)).contentType("text/xml").post(REPORTS).then().statusCode(202);
    }

    @Test
    void registeringTheSameKeyAgainIs200AndChangesNothing() {
        SigningClient c = registered(SigningClient.ed25519());
        c.signed(c.registration(c.keys())).contentType("application/json").post(REGISTER).then().statusCode(200)
                .body("status", equalTo("approved"));
    }

    @Test
    void anotherKeyForARegisteredClientIs409UnlessTheRegisteredKeyCountersigns() {
        SigningClient c = registered(SigningClient.ed25519());
        KeyPair next = SigningClient.generate("RSA", 2048);
        c.signedWith(next, "rsa-v1_5-sha256", c.registration(next)).contentType("application/json").post(REGISTER).then()
                .statusCode(409).body("error", equalTo("client_conflict"));

        c.rotationTo(next, "rsa-v1_5-sha256", c.registration(next)).contentType("application/json").post(REGISTER).then()
                .statusCode(200).body("keyFingerprint", equalTo(ClientKey.fingerprint(next.getPublic().getEncoded())));
        // the old key no longer speaks for the client; the new one does
        c.signed(c.report(1, 1)).contentType("text/xml").post(REPORTS).then().statusCode(401).body("error", equalTo("invalid_signature"));
        c.rotated(next, "rsa-v1_5-sha256");
        c.signed(c.report(2, 1)).contentType("text/xml").post(REPORTS).then().statusCode(202);
    }

    @Test
    void aRotationCountersignedByAnotherKeyIs401() {
        SigningClient c = registered(SigningClient.ed25519());
        SigningClient stranger = SigningClient.ed25519();
        KeyPair next = SigningClient.generate("Ed25519", 0);
        byte[] body = c.registration(next);
        RequestSigner.Fields f = RequestSigner.sign(body, 1L, List.of(
                new RequestSigner.Signer("statesys", c.clientId(), "ed25519", next.getPrivate()),
                new RequestSigner.Signer("previous", c.clientId(), "ed25519", stranger.keys().getPrivate())));
        SigningClient.with(given(), f).body(body).contentType("application/json").post(REGISTER).then()
                .statusCode(401).body("error", equalTo("invalid_signature"));
    }

    @Test
    void withoutAValidTokenNobodyRegistersANewClientSoNoOneCanSquatAClientId() {
        SigningClient genuine = SigningClient.ed25519();
        SigningClient squatter = SigningClient.ed25519();
        // the squatter signs a registration of the genuine client's id with its own key, without a token
        byte[] squat = genuine.registration(squatter.keys());
        SigningClient.with(given(), RequestSigner.sign(squat, genuine.clientId(), "ed25519", squatter.keys().getPrivate()))
                .body(squat).contentType("application/json").post(REGISTER).then()
                .statusCode(401).body("error", equalTo("enrolment_token_required"));
        assertThat(count("SELECT count(*) FROM client_identity WHERE client_id = $1", genuine.client())).isZero();
        // the genuine client, with its token, is not met by a 409
        registered(genuine);
        genuine.signed(genuine.report(1, 1)).contentType("text/xml").post(REPORTS).then().statusCode(202);
    }

    @Test
    void aTokenlessRegistrationIsRefusedBeforeItsSignatureIsVerified() {
        SigningClient c = SigningClient.ed25519();
        KeyPair other = SigningClient.generate("Ed25519", 0);
        // signed by another key than the one presented: with a token this is 401 invalid_signature, found by verifying
        c.signedWith(other, "ed25519", c.registration(c.keys())).contentType("application/json").post(REGISTER).then()
                .statusCode(401).body("error", equalTo("enrolment_token_required"));
        c.signedWith(other, "ed25519", c.registration(c.keys())).header("Authorization", "Bearer " + token())
                .contentType("application/json").post(REGISTER).then().statusCode(401).body("error", equalTo("invalid_signature"));
    }

    @Test
    void revokedExpiredAndWrongTokensApproveNobody() {
        EnrolmentTokens.Created revoked = tokens.create(pool, Duration.ofDays(1)).await().indefinitely();
        tokens.revoke(pool, revoked.id()).await().indefinitely();
        EnrolmentTokens.Created expired = tokens.create(pool, Duration.ofDays(1)).await().indefinitely();
        pool.preparedQuery("UPDATE enrolment_token SET expires_at = now() - interval '1 second' WHERE id = $1")
                .execute(Tuple.of(expired.id())).await().indefinitely();
        String valid = token();
        String wrongSecret = valid.substring(0, valid.indexOf('.') + 1) + "AAAA";
        for (String t : new String[] {revoked.token(), expired.token(), wrongSecret, "garbage", "99999.x"}) {
            SigningClient c = SigningClient.ed25519();
            c.signed(c.registration(c.keys())).header("Authorization", "Bearer " + t).contentType("application/json")
                    .post(REGISTER).then().statusCode(401).body("error", equalTo("enrolment_token_required"));
            assertThat(count("SELECT count(*) FROM client_identity WHERE client_id = $1", c.client())).isZero();
        }
        assertThat(registrations(revoked.id())).isZero();
    }

    @Test
    void aTokenWithAUseLimitApprovesThatManyAndNoMore() {
        EnrolmentTokens.Created limited = tokens.create(pool, Duration.ofDays(1), 2).await().indefinitely();
        for (int i = 0; i < 2; i++) {
            SigningClient c = SigningClient.ed25519();
            c.signed(c.registration(c.keys())).header("Authorization", "Bearer " + limited.token()).contentType("application/json")
                    .post(REGISTER).then().statusCode(201).body("status", equalTo("approved"));
        }
        SigningClient third = SigningClient.ed25519();
        third.signed(third.registration(third.keys())).header("Authorization", "Bearer " + limited.token()).contentType("application/json")
                .post(REGISTER).then().statusCode(401).body("error", equalTo("enrolment_token_required"))
                .body("detail", containsString("all the registrations it may"));
        assertThat(registrations(limited.id())).isEqualTo(2);
    }

    @Test
    void aSignatureOutsideTheWindowOrPastItsExpiresIs401SoACapturedReportCannotBeReplayedLater() throws Exception {
        SigningClient c = registered(SigningClient.ed25519());
        long now = System.currentTimeMillis() / 1000;
        for (long created : new long[] {now - 25 * 3600, now + 25 * 3600}) {
            byte[] body = c.report(1, 1);
            SigningClient.with(given(), RequestSigner.sign(body, created, List.of(
                            new RequestSigner.Signer("statesys", c.clientId(), "ed25519", c.keys().getPrivate()))))
                    .body(body).contentType("text/xml").post(REPORTS).then()
                    .statusCode(401).body("error", equalTo("invalid_signature")).body("detail", containsString("signature-window"));
        }
        // within the window, but past the expires it carries
        byte[] body = c.report(1, 1);
        String digest = RequestSigner.contentDigest(body);
        String params = "(\"content-digest\");created=" + (now - 60) + ";expires=" + (now - 30) + ";keyid=\"" + c.clientId() + "\";alg=\"ed25519\"";
        java.security.Signature sig = java.security.Signature.getInstance("Ed25519");
        sig.initSign(c.keys().getPrivate());
        sig.update(RequestSigner.signatureBase(digest, params).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        given().header("Content-Digest", digest).header("Signature-Input", "statesys=" + params)
                .header("Signature", "statesys=:" + Base64.getEncoder().encodeToString(sig.sign()) + ":")
                .body(body).contentType("text/xml").post(REPORTS).then()
                .statusCode(401).body("error", equalTo("invalid_signature")).body("detail", containsString("expired"));
        assertThat(count("SELECT count(*) FROM inbox WHERE client_id = $1", c.client())).isZero();
    }

    @Test
    void aBlockedClientCannotRotateItsKey() {
        SigningClient c = registered(SigningClient.ed25519());
        pool.preparedQuery("UPDATE client_identity SET status = 'blocked', blocked_at = now() WHERE client_id = $1")
                .execute(Tuple.of(c.client())).await().indefinitely();
        KeyPair next = SigningClient.generate("Ed25519", 0);
        c.rotationTo(next, "ed25519", c.registration(next)).contentType("application/json").post(REGISTER).then()
                .statusCode(403).body("error", equalTo("client_blocked"));
        assertThat(count("SELECT count(*) FROM client_identity WHERE client_id = $1 AND key_rotated_at IS NULL", c.client())).isOne();
    }

    @Test
    void anRsaKeyWithAHugeExponentOrModulusIsRefusedBeforeAnySignatureIsVerified() throws Exception {
        java.security.interfaces.RSAPublicKey real = (java.security.interfaces.RSAPublicKey) SigningClient.generate("RSA", 2048).getPublic();
        java.math.BigInteger hugeExponent = java.math.BigInteger.ONE.shiftLeft(2000).add(java.math.BigInteger.ONE);
        java.math.BigInteger hugeModulus = java.math.BigInteger.ONE.shiftLeft(8191).setBit(0).setBit(77);
        java.security.KeyFactory rsa = java.security.KeyFactory.getInstance("RSA");
        for (java.security.spec.RSAPublicKeySpec spec : List.of(
                new java.security.spec.RSAPublicKeySpec(real.getModulus(), hugeExponent),
                new java.security.spec.RSAPublicKeySpec(real.getModulus(), java.math.BigInteger.valueOf(65536)),
                new java.security.spec.RSAPublicKeySpec(hugeModulus, java.math.BigInteger.valueOf(65537)))) {
            byte[] der = rsa.generatePublic(spec).getEncoded();
            String body = "{\"clientId\":\"GUID:" + UUID.randomUUID().toString().toUpperCase() + "\",\"publicKey\":\""
                    + Base64.getEncoder().encodeToString(der) + "\"}";
            given().header("Authorization", "Bearer " + token()).body(body).contentType("application/json").post(REGISTER).then()
                    .statusCode(400).body("error", equalTo("invalid_registration")).body("detail", containsString("RSA"));
        }
    }

    @Test
    void oneTokenApprovesAMassEnrolmentAndCountsEachRegistrationOnce() throws Exception {
        EnrolmentTokens.Created shared = tokens.create(pool, Duration.ofDays(1)).await().indefinitely();
        int clients = 48;
        List<SigningClient> enrolled = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            enrolled.add(SigningClient.ed25519());
        }
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            List<Future<Integer>> answers = new ArrayList<>();
            for (SigningClient c : enrolled) {
                answers.add(threads.submit(() -> c.signed(c.registration(c.keys())).header("Authorization", "Bearer " + shared.token())
                        .contentType("application/json").post(REGISTER).then().body("status", equalTo("approved"))
                        .extract().statusCode()));
            }
            for (Future<Integer> a : answers) {
                assertThat(a.get()).isEqualTo(201);
            }
        } finally {
            threads.shutdownNow();
        }
        assertThat(registrations(shared.id())).isEqualTo(clients);
        // the same key again approves nothing new; a client that came without the token is refused, and with it is one more
        SigningClient again = enrolled.get(0);
        again.signed(again.registration(again.keys())).header("Authorization", "Bearer " + shared.token())
                .contentType("application/json").post(REGISTER).then().statusCode(200);
        SigningClient late = SigningClient.ed25519();
        late.signed(late.registration(late.keys())).contentType("application/json").post(REGISTER).then().statusCode(401)
                .body("error", equalTo("enrolment_token_required"));
        late.signed(late.registration(late.keys())).header("Authorization", "Bearer " + shared.token())
                .contentType("application/json").post(REGISTER).then().statusCode(201).body("status", equalTo("approved"));
        assertThat(registrations(shared.id())).isEqualTo(clients + 1);
        assertThat(pool.preparedQuery("SELECT count(*) FROM client_identity WHERE approved_by_token = $1").execute(Tuple.of(shared.id()))
                .await().indefinitely().iterator().next().getLong(0)).isEqualTo(clients + 1);
    }

    int registrations(long tokenId) {
        return tokens.list(pool).await().indefinitely().stream().filter(t -> t.id() == tokenId).findFirst().orElseThrow()
                .registrations();
    }

    @Test
    void aRegistrationWithoutProofOfPossessionIs401() {
        SigningClient c = SigningClient.ed25519();
        KeyPair other = SigningClient.generate("Ed25519", 0);
        c.signedWith(other, "ed25519", c.registration(c.keys())).header("Authorization", "Bearer " + token())
                .contentType("application/json").post(REGISTER).then()
                .statusCode(401).body("error", equalTo("invalid_signature"));
        given().body(c.registration(c.keys())).header("Authorization", "Bearer " + token()).contentType("application/json")
                .post(REGISTER).then().statusCode(401).body("error", equalTo("invalid_signature"));
    }

    @Test
    void aRegistrationThatIsNotJsonOrCarriesABadKeyIs400() throws Exception {
        SigningClient c = SigningClient.ed25519();
        for (String body : new String[] {"not json", "[1,2]", "{}", "{\"clientId\":\"nope\",\"publicKey\":\"AAAA\"}",
                "{\"clientId\":\"" + c.clientId() + "\",\"publicKey\":\"not base64!\"}",
                "{\"clientId\":\"" + c.clientId() + "\",\"publicKey\":\"AQID\"}",
                "{\"clientId\":\"" + c.clientId() + "\",\"publicKey\":42}"}) {
            c.signed(body.getBytes()).contentType("application/json").post(REGISTER).then()
                    .statusCode(400).body("error", equalTo("invalid_registration"));
        }
        KeyPair rsa1024 = SigningClient.generate("RSA", 1024);
        c.signedWith(rsa1024, "rsa-v1_5-sha256", c.registration(rsa1024)).contentType("application/json").post(REGISTER).then()
                .statusCode(400).body("error", equalTo("invalid_registration")).body("detail", containsString("2048"));
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(new ECGenParameterSpec("secp256r1"));
        String ecKey = Base64.getEncoder().encodeToString(ec.generateKeyPair().getPublic().getEncoded());
        c.signed(("{\"clientId\":\"" + c.clientId() + "\",\"publicKey\":\"" + ecKey + "\"}").getBytes()).contentType("application/json")
                .post(REGISTER).then().statusCode(400).body("error", equalTo("invalid_registration"));
    }

    @Test
    void anUnsignedReportIs401SignatureRequiredAndNothingOfItIsStored() {
        SigningClient c = registered(SigningClient.ed25519());
        given().body(c.report(1, 1)).contentType("text/xml").post(REPORTS).then().statusCode(401)
                .body("error", equalTo("signature_required"));
        assertThat(count("SELECT count(*) FROM inbox WHERE client_id = $1", c.client())).isZero();
        assertThat(pool.query("SELECT count(*) FROM bad_report WHERE reason = 'signature_required'").execute()
                .await().indefinitely().iterator().next().getLong(0)).isPositive();
    }

    @Test
    void aSourceHeaderAloneProvesNothingTheInternalTokenDoes() {
        SigningClient c = SigningClient.ed25519();
        given().header("X-Statesys-Source", "fsp").body(c.report(1, 1)).contentType("text/xml").post(REPORTS).then()
                .statusCode(401).body("error", equalTo("signature_required"));
        given().header("X-Statesys-Source", "fsp").header("Authorization", "Bearer wrong").body(c.report(1, 1))
                .contentType("text/xml").post(REPORTS).then().statusCode(401);
        given().header("Authorization", "Bearer " + IdentityEnforced.INTERNAL_TOKEN).body(c.report(1, 1))
                .contentType("text/xml").post(REPORTS).then().statusCode(202);
        assertThat(count("SELECT count(*) FROM inbox WHERE client_id = $1 AND source = 'fsp'", c.client())).isEqualTo(1);
    }

    @Test
    void aSignedReportOfAClientThatNeverRegisteredIs401UnknownClient() {
        SigningClient c = SigningClient.ed25519();
        c.signed(c.report(1, 1)).contentType("text/xml").post(REPORTS).then().statusCode(401).body("error", equalTo("unknown_client"));
    }

    @Test
    void aReportNamingAnotherClientIs401InvalidSignature() {
        SigningClient victim = registered(SigningClient.ed25519());
        SigningClient spoofer = registered(SigningClient.ed25519());
        // the spoofer signs, under its own keyid, a report naming the victim
        byte[] body = victim.report(1, 1);
        SigningClient.with(given(), RequestSigner.sign(body, spoofer.clientId(), "ed25519", spoofer.keys().getPrivate()))
                .body(body).contentType("text/xml").post(REPORTS).then().statusCode(401).body("error", equalTo("invalid_signature"));
        // or under the victim's keyid with its own key
        SigningClient.with(given(), RequestSigner.sign(body, victim.clientId(), "ed25519", spoofer.keys().getPrivate()))
                .body(body).contentType("text/xml").post(REPORTS).then().statusCode(401).body("error", equalTo("invalid_signature"));
        assertThat(count("SELECT count(*) FROM inbox WHERE client_id = $1", victim.client())).isZero();
    }

    @Test
    void aBodyChangedAfterSigningIs401() {
        SigningClient c = registered(SigningClient.ed25519());
        byte[] signedBody = c.report(1, 1);
        RequestSigner.Fields f = RequestSigner.sign(signedBody, c.clientId(), "ed25519", c.keys().getPrivate());
        SigningClient.with(given(), f).body(c.report(2, 1)).contentType("text/xml").post(REPORTS).then()
                .statusCode(401).body("error", equalTo("invalid_signature"));
    }

    @Test
    void malformedSignatureFieldsAre401NeverA500() {
        SigningClient c = registered(SigningClient.ed25519());
        byte[] body = c.report(1, 1);
        RequestSigner.Fields f = RequestSigner.sign(body, c.clientId(), "ed25519", c.keys().getPrivate());
        String[][] cases = {
                {f.contentDigest(), "statesys=(\"content-digest\";created=1", f.signature()},
                {f.contentDigest(), f.signatureInput(), "statesys=:%%%:"},
                {"sha-256=\"x\"", f.signatureInput(), f.signature()},
                {f.contentDigest(), f.signatureInput().replace("ed25519", "hs2019"), f.signature()},
                {f.contentDigest(), f.signatureInput() + ", two=(\"content-digest\");created=1;keyid=\"x\";alg=\"ed25519\"", f.signature()},
                {f.contentDigest(), f.signatureInput(), "statesys=:" + "A".repeat(20_000) + ":"},
                {null, f.signatureInput(), f.signature()},
        };
        for (String[] h : cases) {
            var spec = given().body(body).contentType("text/xml");
            if (h[0] != null) {
                spec = spec.header("Content-Digest", h[0]);
            }
            spec.header("Signature-Input", h[1]).header("Signature", h[2]).post(REPORTS).then()
                    .statusCode(401).body("error", equalTo("invalid_signature"));
        }
        c.signed(body).contentType("text/xml").post(REPORTS).then().statusCode(202);
    }

    @Test
    void aBlockReachesThisReplicaWithinTheCacheTtlAndAnUnblockToo() throws Exception {
        SigningClient c = registered(SigningClient.ed25519());
        c.signed(c.report(1, 1)).contentType("text/xml").post(REPORTS).then().statusCode(202); // now cached
        // blocked by an admin elsewhere (the resync service writes the table)
        pool.preparedQuery("UPDATE client_identity SET status = 'blocked', blocked_at = now() WHERE client_id = $1")
                .execute(Tuple.of(c.client())).await().indefinitely();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        int status = 202;
        long serial = 2;
        while (status != 403 && System.nanoTime() < deadline) {
            status = c.signed(c.report(serial++, 1)).contentType("text/xml").post(REPORTS).statusCode();
            Thread.sleep(200);
        }
        assertThat(status).as("blocked within the 2 s TTL (10 s allowed)").isEqualTo(403);
        c.signed(c.report(serial++, 1)).contentType("text/xml").post(REPORTS).then().body("error", equalTo("client_blocked"));
    }

    @Test
    void aClientThatKeepsReportingIsNotLookedUpAgainAfterTheTtlWhileItsIdentityIsUnchanged() throws Exception {
        SigningClient c = registered(SigningClient.ed25519());
        c.signed(c.report(1, 1)).contentType("text/xml").post(REPORTS).then().statusCode(202);
        Thread.sleep(2_500); // past the first change question, which forgets what was cached before it
        c.signed(c.report(2, 1)).contentType("text/xml").post(REPORTS).then().statusCode(202);
        long loads = keys.loads();
        Thread.sleep(5_000); // two and a half TTLs: two change questions, neither names this client
        c.signed(c.report(3, 1)).contentType("text/xml").post(REPORTS).then().statusCode(202);
        assertThat(keys.loads()).as("identity reads after the TTL with nothing changed").isEqualTo(loads);
        given().get("/q/metrics").then().statusCode(200).body(containsString("statesys_identity_cache_loads_total"));
    }

    @Test
    void refusalsAreCountedByReason() {
        SigningClient c = SigningClient.ed25519();
        c.signed(c.report(1, 1)).contentType("text/xml").post(REPORTS).then().statusCode(401);
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("statesys_identity_refused_total{enforced=\"true\",reason=\"unknown_client\"}"));
    }

    @io.quarkus.test.common.http.TestHTTPResource("/")
    java.net.URI relay;

    @Test
    void aRegistrationDeclaringABodyOverItsLimitIsRefusedBeforeAByteOfItIsRead() throws Exception {
        try (java.net.Socket s = new java.net.Socket(relay.getHost(), relay.getPort())) {
            s.setSoTimeout(10_000);
            // sixteen megabytes announced — the generic limit would take them all — and none sent
            s.getOutputStream().write(("POST /api/v1/clients/registrations HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 16000000\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            String head = io.statesys.relay.ingest.RawHttp.readHead(s.getInputStream());
            assertThat(head).startsWith("HTTP/1.1 400");
        }
    }

    @Test
    void aChunkedRegistrationIsCutAtItsLimitNotReadToTheGenericOne() throws Exception {
        try (java.net.Socket s = new java.net.Socket(relay.getHost(), relay.getPort())) {
            s.setSoTimeout(10_000);
            java.io.OutputStream out = s.getOutputStream();
            out.write(("POST /api/v1/clients/registrations HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            byte[] chunk = new byte[16 * 1024];
            java.util.Arrays.fill(chunk, (byte) ' ');
            String size = Integer.toHexString(chunk.length) + "\r\n";
            // five chunks pass the 64 KiB limit; the answer comes then, and the rest (1 MiB more) is never needed
            for (int i = 0; i < 5; i++) {
                out.write(size.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                out.write(chunk);
                out.write("\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            }
            out.flush();
            String head = io.statesys.relay.ingest.RawHttp.readHead(s.getInputStream());
            assertThat(head).startsWith("HTTP/1.1 400");
            String body = new String(s.getInputStream().readNBytes(
                    Integer.parseInt(head.replaceAll("(?s).*[Cc]ontent-[Ll]ength: *(\\d+).*", "$1"))), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(body).contains("invalid_registration", "body over 65536 bytes");
        }
    }
}
