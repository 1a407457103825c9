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
    private final java.time.Duration signatureWindow;
    private final ObjectMapper json = new ObjectMapper();

    public Registrations(Pool pool, ClientIdentities identities, EnrolmentTokens tokens, KeyCache cache, StatesysConfig config) {
        this.pool = pool;
        this.identities = identities;
        this.tokens = tokens;
        this.cache = cache;
        this.approval = config.identity().approval();
        this.signatureWindow = config.identity().signatureWindow();
    }

    /** The answer: whether the identity was created, and as what. */
    public record Outcome(boolean created, ClientIdentity identity) {
    }

    private record Request(UUID client, String netbiosName, ClientKey key) {
    }

    /**
     * The cheap checks come first — the body, the token, whether a tokenless registration may write
     * anything at all — and the signature (the costly one) only then, so a request that cannot
     * succeed costs no verification.
     */
    public Uni<Outcome> register(byte[] body, SignatureFields fields, String authorization) {
        Request request = parse(body);
        Optional<String> presented = bearer(authorization);
        Uni<Optional<Long>> token = presented.isEmpty() ? Uni.createFrom().item(Optional.empty())
                : tokens.usable(pool, presented.get());
        return token.call(tokenId -> tokenId.isPresent() || approval != Approval.TOKEN ? Uni.createFrom().voidItem()
                        : identities.find(pool, request.client()).invoke(existing -> {
                            if (existing.isEmpty()) {
                                throw tokenRequired(presented.isPresent() ? "the enrolment token presented is not valid (unknown, expired or revoked)"
                                        : "a new client registers with an enrolment token (Authorization: Bearer <token>)");
                            }
                        }))
                .chain(tokenId -> {
                    Map<String, MessageSignatures.Signed> signed = proof(request, body, fields, signatureWindow);
                    return pool.withTransaction(conn -> decide(conn, request, signed, tokenId));
                })
                .invoke(o -> cache.invalidate(request.client()));
    }

    private static ApiException tokenRequired(String detail) {
        return ApiException.unauthorized(ENROLMENT_TOKEN_REQUIRED, detail);
    }

    static final String ENROLMENT_TOKEN_REQUIRED = "enrolment_token_required";

    private Uni<Outcome> decide(SqlConnection conn, Request r, Map<String, MessageSignatures.Signed> signed, Optional<Long> tokenId) {
        return identities.lock(conn, r.client()).chain(existing -> {
            if (existing.isEmpty()) {
                if (approval == Approval.TOKEN) {
                    // no row without a valid token: nobody holds a ClientID for later
                    if (tokenId.isEmpty()) {
                        throw tokenRequired("a new client registers with an enrolment token (Authorization: Bearer <token>)");
                    }
                    return withinLimit(conn, tokenId.get()).chain(() -> insert(conn, r, Status.APPROVED, tokenId.get()));
                }
                return insert(conn, r, approval == Approval.AUTO ? Status.APPROVED : Status.PENDING, null);
            }
            ClientIdentity current = existing.get();
            if (current.key().fingerprint().equals(r.key().fingerprint())) {
                if (current.status() == Status.PENDING && approval == Approval.TOKEN && tokenId.isPresent()) {
                    return withinLimit(conn, tokenId.get()).chain(() -> identities.approve(conn, r.client(), tokenId.get()))
                            .chain(approved -> counted(conn, tokenId.get(), r.client()).replaceWith(new Outcome(false, approved.orElseThrow())));
                }
                return Uni.createFrom().item(new Outcome(false, current));
            }
            if (current.status() == Status.BLOCKED) {
                // a blocked client's key stays: a rotation would let whoever holds the old key walk away with a fresh one
                throw new ApiException(403, "client_blocked", ClientId.format(r.client()) + " is blocked: its key cannot be rotated");
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

    private Uni<Outcome> insert(SqlConnection conn, Request r, Status status, Long byToken) {
        return identities.insert(conn, r.client(), r.netbiosName(), r.key(), status, byToken).chain(inserted -> {
            if (inserted.isEmpty()) { // another registration of this client committed first
                throw new ApiException(409, "client_conflict", "a registration of " + ClientId.format(r.client())
                        + " is in progress; try again");
            }
            return counted(conn, byToken, r.client()).replaceWith(new Outcome(true, inserted.get()));
        });
    }

    /** A token with a use limit approves no more once it is reached. */
    private Uni<Void> withinLimit(SqlConnection conn, long tokenId) {
        return tokens.withinLimit(conn, tokenId).invoke(within -> {
            if (!within) {
                throw tokenRequired("the enrolment token has approved all the registrations it may");
            }
        }).replaceWithVoid();
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
    private static Map<String, MessageSignatures.Signed> proof(Request r, byte[] body, SignatureFields fields,
                                                               java.time.Duration window) {
        try {
            Map<String, MessageSignatures.Signed> signed = MessageSignatures.read(fields, body,
                    Set.of(MessageSignatures.LABEL, MessageSignatures.PREVIOUS));
            MessageSignatures.Signed own = signed.get(MessageSignatures.LABEL);
            java.time.Instant now = java.time.Instant.now();
            for (MessageSignatures.Signed each : signed.values()) {
                MessageSignatures.checkFresh(each, now, window);
            }
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
