package io.statesys.sim.client;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.statesys.core.signing.RequestSigner;

import java.net.URI;
import java.net.http.HttpRequest;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.time.Duration;
import java.util.Base64;

/**
 * Requests as a client sends them (docs/api.md, "Client identity"): signed with the client's key,
 * and the key's registration. One place for the simulated clients, the benchmarks and {@code send}.
 */
public final class SignedRequests {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private SignedRequests() {
    }

    /** Adds the three signature fields of {@code body}, signed by {@code key} under {@code keyid}. */
    public static HttpRequest.Builder signed(HttpRequest.Builder req, byte[] body, String keyid, String alg, PrivateKey key) {
        return withFields(req, RequestSigner.sign(body, keyid, alg, key));
    }

    /** Adds signature fields made earlier (benchmarks sign before the clock starts). */
    public static HttpRequest.Builder withFields(HttpRequest.Builder req, RequestSigner.Fields f) {
        return req.header("Content-Digest", f.contentDigest()).header("Signature-Input", f.signatureInput())
                .header("Signature", f.signature());
    }

    /** A signed POST of {@code body} as {@code contentType}. */
    public static HttpRequest.Builder post(URI uri, byte[] body, String contentType, String keyid, String alg, PrivateKey key) {
        return signed(HttpRequest.newBuilder(uri), body, keyid, alg, key).timeout(TIMEOUT).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    }

    /**
     * The registration of a client's public key at the relay, signed with that key (proof of
     * possession), with an enrolment token when there is one.
     */
    public static HttpRequest registration(URI relay, String clientId, String netbiosName, KeyPair keys, String alg,
                                           String enrolmentToken) {
        ObjectNode doc = JSON.createObjectNode().put("clientId", clientId);
        if (netbiosName != null) {
            doc.put("netbiosName", netbiosName);
        }
        doc.put("publicKey", Base64.getEncoder().encodeToString(keys.getPublic().getEncoded()));
        byte[] body;
        try {
            body = JSON.writeValueAsBytes(doc);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        HttpRequest.Builder req = post(URI.create(relay + "/api/v1/clients/registrations"), body, "application/json", clientId, alg,
                keys.getPrivate());
        if (enrolmentToken != null && !enrolmentToken.isBlank()) {
            req.header("Authorization", "Bearer " + enrolmentToken);
        }
        return req.build();
    }
}
