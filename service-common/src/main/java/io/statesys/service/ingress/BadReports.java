package io.statesys.service.ingress;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.statesys.core.config.StatesysConfig;
import io.vertx.core.buffer.Buffer;
import io.statesys.service.http.SourceQuota;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.Arrays;
import java.util.UUID;

/**
 * Keeps refused bodies for diagnosis (the original's "Corrupted" folder), so that neither a
 * misbehaving client nor an attacker can fill the database with them or wash the record out
 * (V22): a prefix of each body ({@code statesys.bad-reports.max-body-bytes}) with its size as
 * sent; per refusal reason, at most {@code max-count} records and {@code max-bytes-per-reason}
 * bytes, so a flood of one reason evicts only its own; a quota of kept refusals per source
 * address a minute ({@link SourceQuota}). A body is attributed to a client only when that client's
 * signature verified; otherwise the ClientID its header names is kept as a claim.
 */
@ApplicationScoped
public class BadReports {
    private static final Logger LOG = Logger.getLogger(BadReports.class);
    /** The header names the client within its first few KB. */
    static final int CLAIM_PREFIX_BYTES = 16384;

    static final String KEEP = """
            INSERT INTO bad_report (service, reason, detail, content_type, content_encoding, body, body_size, client_id,
                                    claimed_client_id, source)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)""";

    /** The reason's records past its count or its bytes, newest kept first; and anything past the age. */
    static final String PRUNE = """
            DELETE FROM bad_report WHERE id IN (
                SELECT id FROM (SELECT id, row_number() OVER newest AS n, sum(coalesce(octet_length(body), 0)) OVER newest AS bytes
                                FROM bad_report WHERE reason = $1
                                WINDOW newest AS (ORDER BY id DESC)) r
                WHERE n > $2 OR bytes > $3
                UNION ALL
                SELECT id FROM bad_report WHERE received_at < now() - make_interval(secs => $4))""";

    private final Pool pool;
    private final StatesysConfig.BadReports settings;
    private final SourceQuota quota;
    private final Counter notKept;

    public BadReports(Pool pool, StatesysConfig config, MeterRegistry registry) {
        this.pool = pool;
        this.settings = config.badReports();
        this.quota = new SourceQuota(settings.maxPerSourcePerMinute());
        this.notKept = Counter.builder("statesys.bad_reports.not_kept")
                .description("refused bodies answered but not kept: their source had used its quota for the minute").register(registry);
    }

    /** Never fails: a refusal is answered whether or not its body could be kept. */
    public Uni<Void> keep(IngressRequest request, String reason, String detail, UUID verifiedClient) {
        if (!quota.take(request.source(), System.currentTimeMillis())) {
            notKept.increment();
            return Uni.createFrom().voidItem();
        }
        byte[] body = request.body();
        byte[] kept = body.length > settings.maxBodyBytes() ? Arrays.copyOf(body, settings.maxBodyBytes()) : body;
        UUID claimed = RefusedBodies.clientId(RefusedBodies.text(claimPrefix(body), request.contentEncoding(), CLAIM_PREFIX_BYTES))
                .orElse(null);
        Tuple t = Tuple.tuple().addString(request.service()).addString(reason).addString(detail)
                .addString(request.contentType()).addString(request.contentEncoding())
                .addValue(Buffer.buffer(kept)).addInteger(body.length)
                .addUUID(verifiedClient).addUUID(claimed).addString(request.source());
        return pool.preparedQuery(KEEP).execute(t)
                .chain(() -> pool.preparedQuery(PRUNE).execute(Tuple.of(reason, settings.maxCount(), settings.maxBytesPerReason(),
                        (double) settings.maxAge().toSeconds())))
                .replaceWithVoid()
                .onFailure().recoverWithItem(e -> {
                    LOG.warnf("could not keep refused report (%s): %s", reason, e.getMessage());
                    return null;
                });
    }

    /** A gzip body is inflated only up to the claim's prefix (RefusedBodies bounds it); a plain one is cut there. */
    private static byte[] claimPrefix(byte[] body) {
        boolean gzipped = body.length > 2 && (body[0] & 0xFF) == 0x1F && (body[1] & 0xFF) == 0x8B;
        return gzipped || body.length <= CLAIM_PREFIX_BYTES ? body : Arrays.copyOf(body, CLAIM_PREFIX_BYTES);
    }
}
