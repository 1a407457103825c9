package io.statesys.relay.registration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import io.statesys.core.config.StatesysConfig;
import io.statesys.core.config.StatesysConfig.Identity.Approval;
import io.statesys.core.report.ClientId;
import io.statesys.service.error.ApiException;
import io.statesys.service.identity.ClientIdentities;
import io.statesys.service.identity.ClientIdentity;
import io.statesys.service.identity.ClientIdentity.Status;
import io.statesys.service.identity.ClientKey;
import io.statesys.service.identity.EnrolmentTokens;
import io.statesys.service.identity.InvalidSignatureException;
import io.statesys.service.identity.KeyCache;
import io.statesys.service.identity.MessageSignatures;
import io.statesys.service.identity.SignatureFields;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * A client registers its public key, proving it holds the private key by signing the request with
 * it (docs/api.md, "Client identity"). New: 201, approved or pending by the approval mode. The same
 * key again: 200. Another key: 409, unless a second signature labelled {@code previous}, by the key
 * registered until now, makes it a rotation.
 */
@ApplicationScoped
public class Registrations {
    static final int MAX_BODY_BYTES = 64 * 1024;
    static final int MAX_NAME_CHARS = 255;

    private final Pool pool;
    private final ClientIdentities identities;
    private final EnrolmentTokens tokens;
    private final KeyCache cache;
    private final Approval approval;
    private final ObjectMapper json = new ObjectMapper();

    public Registrations(Pool pool, ClientIdentities identities, EnrolmentTokens tokens, KeyCache cache, StatesysConfig config) {
        this.pool = pool;
        this.identities = identities;
        this.tokens = tokens;
        this.cache = cache;
        this.approval = config.identity().approval();
    }

    /** The answer: whether the identity was created, and as what. */
    public record Outcome(boolean created, ClientIdentity identity) {
    }

    private record Request(UUID client, String netbiosName, ClientKey key) {
    }

    public Uni<Outcome> register(byte[] body, SignatureFields fields, String authorization) {
        Request request = parse(body);
        Map<String, MessageSignatures.Signed> signed = proof(request, body, fields);
        Optional<String> presented = bearer(authorization);
        Uni<Optional<Long>> token = presented.isEmpty() ? Uni.createFrom().item(Optional.empty())
                : tokens.usable(pool, presented.get());
        return token.chain(tokenId -> pool.withTransaction(conn -> decide(conn, request, signed, tokenId)))
                .invoke(o -> cache.invalidate(request.client()));
    }

    private Uni<Outcome> decide(SqlConnection conn, Request r, Map<String, MessageSignatures.Signed> signed, Optional<Long> tokenId) {
        return identities.lock(conn, r.client()).chain(existing -> {
            if (existing.isEmpty()) {
                Status status = approval == Approval.AUTO || approval == Approval.TOKEN && tokenId.isPresent()
                        ? Status.APPROVED : Status.PENDING;
                Long byToken = status == Status.APPROVED && approval == Approval.TOKEN ? tokenId.get() : null;
                return identities.insert(conn, r.client(), r.netbiosName(), r.key(), status, byToken).chain(inserted -> {
                    if (inserted.isEmpty()) { // another registration of this client committed first
                        throw new ApiException(409, "client_conflict", "a registration of " + ClientId.format(r.client())
                                + " is in progress; try again");
                    }
                    return counted(conn, byToken, r.client()).replaceWith(new Outcome(true, inserted.get()));
                });
            }
            ClientIdentity current = existing.get();
            if (current.key().fingerprint().equals(r.key().fingerprint())) {
                if (current.status() == Status.PENDING && approval == Approval.TOKEN && tokenId.isPresent()) {
                    return identities.approve(conn, r.client(), tokenId.get())
                            .chain(approved -> counted(conn, tokenId.get(), r.client()).replaceWith(new Outcome(false, approved.orElseThrow())));
                }
                return Uni.createFrom().item(new Outcome(false, current));
            }
            MessageSignatures.Signed previous = signed.get(MessageSignatures.PREVIOUS);
            if (previous == null) {
                throw new ApiException(409, "client_conflict", ClientId.format(r.client())
                        + " is registered with another key; a rotation needs a second signature, label 'previous', by that key");
            }
            try {
                checkKeyId(previous, r.client());
                MessageSignatures.verify(previous, current.key());
            } catch (InvalidSignatureException e) {
                throw ApiException.unauthorized("invalid_signature", "previous: " + e.getMessage());
            }
            return identities.rotate(conn, r.client(), r.key()).map(rotated -> new Outcome(false, rotated.orElseThrow()));
        });
    }

    private Uni<Void> counted(SqlConnection conn, Long tokenId, UUID client) {
        return tokenId == null ? Uni.createFrom().voidItem() : tokens.countRegistration(conn, tokenId, client);
    }

    private Request parse(byte[] body) {
        if (body.length > MAX_BODY_BYTES) {
            throw ApiException.badRequest("invalid_registration", "body over " + MAX_BODY_BYTES + " bytes");
        }
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (IOException e) {
            throw ApiException.badRequest("invalid_registration", "body is not JSON");
        }
        if (root == null || !root.isObject()) {
            throw ApiException.badRequest("invalid_registration", "body is not a JSON object");
        }
        UUID client;
        try {
            client = ClientId.parse(text(root, "clientId", true));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("invalid_registration", "clientId: " + e.getMessage());
        }
        String name = text(root, "netbiosName", false);
        if (name != null && name.length() > MAX_NAME_CHARS) {
            throw ApiException.badRequest("invalid_registration", "netbiosName: longer than " + MAX_NAME_CHARS + " characters");
        }
        try {
            return new Request(client, name, ClientKey.fromBase64(text(root, "publicKey", true)));
        } catch (ClientKey.InvalidKeyException e) {
            throw ApiException.badRequest("invalid_registration", e.getMessage());
        }
    }

    /** The request must be signed ({@code statesys}) with the key it registers: proof of possession. */
    private static Map<String, MessageSignatures.Signed> proof(Request r, byte[] body, SignatureFields fields) {
        try {
            Map<String, MessageSignatures.Signed> signed = MessageSignatures.read(fields, body,
                    Set.of(MessageSignatures.LABEL, MessageSignatures.PREVIOUS));
            MessageSignatures.Signed own = signed.get(MessageSignatures.LABEL);
            checkKeyId(own, r.client());
            MessageSignatures.verify(own, r.key());
            return signed;
        } catch (InvalidSignatureException e) {
            throw ApiException.unauthorized("invalid_signature", e.getMessage());
        }
    }

    private static void checkKeyId(MessageSignatures.Signed s, UUID client) {
        UUID keyClient;
        try {
            keyClient = ClientId.parse(s.keyid());
        } catch (IllegalArgumentException e) {
            throw new InvalidSignatureException("keyid: " + e.getMessage());
        }
        if (!keyClient.equals(client)) {
            throw new InvalidSignatureException("keyid " + s.keyid() + " is not the registered clientId");
        }
    }

    private static String text(JsonNode root, String field, boolean required) {
        JsonNode v = root.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw ApiException.badRequest("invalid_registration", field + ": missing");
            }
            return null;
        }
        if (!v.isTextual()) {
            throw ApiException.badRequest("invalid_registration", field + ": not a string");
        }
        return v.asText();
    }

    private static Optional<String> bearer(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        String t = authorization.substring(7).trim();
        return t.isEmpty() ? Optional.empty() : Optional.of(t);
    }
}
