package io.statesys.sim.bench;

import io.statesys.core.report.ClientId;
import io.statesys.sim.client.SignedRequests;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
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
        try {
            HttpResponse<String> r = HTTP.send(SignedRequests.registration(relay, ClientId.format(client), "BENCH", keys, alg,
                    enrolmentToken), HttpResponse.BodyHandlers.ofString());
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
