package io.statesys.sim.bench;

import io.statesys.core.report.ClientId;
import io.statesys.core.signing.RequestSigner;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.Base64;
import java.util.UUID;

/** Benchmark clients: a key pair each, registered before the clock starts. */
final class BenchClients {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private BenchClients() {
    }

    static KeyPair keys(String alg) {
        try {
            if (alg.startsWith("rsa")) {
                KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
                g.initialize(2048);
                return g.generateKeyPair();
            }
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static void register(URI relay, UUID client, KeyPair keys, String alg, String enrolmentToken) {
        byte[] body = ("{\"clientId\":\"" + ClientId.format(client) + "\",\"netbiosName\":\"BENCH\",\"publicKey\":\""
                + Base64.getEncoder().encodeToString(keys.getPublic().getEncoded()) + "\"}").getBytes(StandardCharsets.UTF_8);
        RequestSigner.Fields f = RequestSigner.sign(body, ClientId.format(client), alg, keys.getPrivate());
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(relay + "/api/v1/clients/registrations"))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .header("Content-Digest", f.contentDigest()).header("Signature-Input", f.signatureInput())
                .header("Signature", f.signature()).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (enrolmentToken != null) {
            req.header("Authorization", "Bearer " + enrolmentToken);
        }
        try {
            HttpResponse<String> r = HTTP.send(req.build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 201 && r.statusCode() != 200) {
                throw new IllegalStateException("registration of " + ClientId.format(client) + " answered " + r.statusCode() + ": " + r.body());
            }
            if (!r.body().contains("\"approved\"")) {
                throw new IllegalStateException("registration of " + ClientId.format(client) + " is not approved (give --enrolment-token or --admin-token): " + r.body());
            }
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot register at " + relay + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
