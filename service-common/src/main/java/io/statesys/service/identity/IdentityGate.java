package io.statesys.service.identity;

import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.statesys.core.config.StatesysConfig;
import io.statesys.core.config.StatesysConfig.Identity.Mode;
import io.statesys.core.report.ClientId;
import io.statesys.core.report.Report;
import io.statesys.core.report.StateMessage;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Decides whether a parsed report comes from the client it names (docs/api.md, "Client identity"),
 * before anything of it is stored. A signed report must carry a valid signature by the key
 * registered for its ClientID, and the client must be approved and not blocked. An unsigned
 * report is taken by the relay only from the FSP (its internal token), and by the FSP only when
 * every message's topic type is one clients send before they register and its ClientID has no
 * identity: the door is for clients being deployed, which have no key yet; a client that has one
 * signs. What comes through that door is admitted as {@code unsigned}, and the loader treats it
 * as nobody's word (V19). In {@code report} mode nothing is refused, but every failure is counted
 * and the client is marked unverified.
 */
@ApplicationScoped
public class IdentityGate {
    private static final Logger LOG = Logger.getLogger(IdentityGate.class);

    static final String MARK_UNVERIFIED = """
            INSERT INTO unverified_client AS u (client_id, reports, last_reason) VALUES ($1, 1, $2)
            ON CONFLICT (client_id) DO UPDATE SET reports = u.reports + 1, last_reason = excluded.last_reason, last_at = now()""";

    /** Which door the report came through. */
    public enum Door { RELAY, FSP }

    /**
     * How a report was let in: {@code verified} by its client's signature; {@code internal}: forwarded
     * by the FSP; {@code unsigned}: without a client signature while identity is enforced (the FSP's
     * door for clients without a key), so what it says is stored as unverified.
     */
    public record Admission(boolean verified, boolean internal, boolean unsigned) {
    }

    private final Mode mode;
    private final java.time.Duration signatureWindow;
    private final Set<Integer> fspUnsignedTopicTypes;
    private final Optional<byte[]> internalToken;
    private final KeyCache keys;
    private final Pool pool;
    private final MeterRegistry registry;

    public IdentityGate(StatesysConfig config, KeyCache keys, Pool pool, MeterRegistry registry) {
        this.mode = config.identity().mode();
        this.signatureWindow = config.identity().signatureWindow();
        this.fspUnsignedTopicTypes = new HashSet<>(config.identity().fspUnsignedTopicTypes());
        this.internalToken = config.internal().token().filter(t -> !t.isBlank()).map(t -> t.getBytes(StandardCharsets.UTF_8));
        this.keys = keys;
        this.pool = pool;
        this.registry = registry;
    }

    /** True when the request carries {@code Authorization: Bearer <statesys.internal.token>}. */
    public boolean isInternal(String authorization) {
        if (internalToken.isEmpty() || authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        return MessageDigest.isEqual(authorization.substring(7).trim().getBytes(StandardCharsets.UTF_8), internalToken.get());
    }

    public Uni<Admission> admit(Door door, Report report, byte[] body, SignatureFields fields, String authorization) {
        boolean internal = door == Door.RELAY && isInternal(authorization);
        if (mode == Mode.OFF) {
            return Uni.createFrom().item(new Admission(false, internal, false));
        }
        if (fields.absent()) {
            boolean unsigned = mode == Mode.ENFORCE;
            if (internal) {
                return Uni.createFrom().item(new Admission(false, true, unsigned));
            }
            if (door == Door.FSP && onlyUnsignedTopics(report)) {
                // only for a client without a key: one that has registered signs, at every door
                return keys.get(report.clientId()).chain(found -> found.isEmpty()
                        ? Uni.createFrom().item(new Admission(false, false, unsigned))
                        : refuse(report.clientId(), Refusal.SIGNATURE_REQUIRED, ClientId.format(report.clientId())
                                + " has registered a key: its reports must be signed (Signature-Input, Signature, Content-Digest)", false));
            }
            return refuse(report.clientId(), Refusal.SIGNATURE_REQUIRED,
                    door == Door.FSP ? "unsigned reports are taken only for topic types " + fspUnsignedTopicTypes
                            + " from a client that has not registered a key"
                            : "the report is not signed (Signature-Input, Signature, Content-Digest)", internal);
        }
        MessageSignatures.Signed signed;
        try {
            signed = MessageSignatures.read(fields, body, Set.of(MessageSignatures.LABEL)).get(MessageSignatures.LABEL);
            if (!internal) {
                // the FSP checked it when it took the report, which may have waited there for days since
                MessageSignatures.checkFresh(signed, java.time.Instant.now(), signatureWindow);
            }
            if (!report.clientId().equals(keyClient(signed.keyid()))) {
                throw new InvalidSignatureException("keyid " + signed.keyid() + " is not the report's ClientID "
                        + ClientId.format(report.clientId()));
            }
        } catch (InvalidSignatureException e) {
            return refuse(report.clientId(), Refusal.INVALID_SIGNATURE, e.getMessage(), internal);
        }
        return keys.get(report.clientId()).chain(found -> {
            if (found.isEmpty()) {
                return refuse(report.clientId(), Refusal.UNKNOWN_CLIENT,
                        ClientId.format(report.clientId()) + " has not registered a key", internal);
            }
            ClientIdentity identity = found.get();
            try {
                MessageSignatures.verify(signed, identity.key());
            } catch (InvalidSignatureException e) {
                return refuse(report.clientId(), Refusal.INVALID_SIGNATURE, e.getMessage(), internal);
            }
            return switch (identity.status()) {
                case APPROVED -> Uni.createFrom().item(new Admission(true, internal, false));
                case PENDING -> refuse(report.clientId(), Refusal.CLIENT_PENDING,
                        ClientId.format(report.clientId()) + " is registered but not approved yet", internal, true);
                case BLOCKED -> refuse(report.clientId(), Refusal.CLIENT_BLOCKED,
                        ClientId.format(report.clientId()) + " is blocked", internal, true);
            };
        });
    }

    private Uni<Admission> refuse(UUID client, Refusal refusal, String detail, boolean internal) {
        return refuse(client, refusal, detail, internal, false);
    }

    /** {@code verified}: the client's own signature verified (it is pending or blocked), so the refusal is its. */
    private Uni<Admission> refuse(UUID client, Refusal refusal, String detail, boolean internal, boolean verified) {
        registry.counter("statesys.identity.refused", "reason", refusal.error(),
                "enforced", String.valueOf(mode == Mode.ENFORCE)).increment();
        if (mode == Mode.ENFORCE) {
            return Uni.createFrom().failure(new IdentityRefusedException(refusal, detail, verified ? client : null));
        }
        return pool.preparedQuery(MARK_UNVERIFIED).execute(Tuple.of(client, refusal.error()))
                .onFailure().invoke(e -> LOG.debugf("could not mark %s unverified: %s", client, e))
                .onFailure().recoverWithNull()
                .replaceWith(new Admission(false, internal, false));
    }

    private boolean onlyUnsignedTopics(Report report) {
        for (StateMessage m : report.messages()) {
            if (!fspUnsignedTopicTypes.contains(m.topicType())) {
                return false;
            }
        }
        return true;
    }

    private static UUID keyClient(String keyid) {
        try {
            return ClientId.parse(keyid);
        } catch (IllegalArgumentException e) {
            throw new InvalidSignatureException("keyid: " + e.getMessage());
        }
    }
}
