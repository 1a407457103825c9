package io.statesys.service.ingress;

import io.smallrye.mutiny.Uni;
import io.statesys.core.config.StatesysConfig;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.Arrays;

/**
 * Keeps refused bodies for diagnosis (the original's "Corrupted" folder), bounded by count and age
 * so that a misbehaving client cannot fill the database with them.
 */
@ApplicationScoped
public class BadReports {
    private static final Logger LOG = Logger.getLogger(BadReports.class);

    static final String KEEP = """
            INSERT INTO bad_report (service, reason, detail, content_type, content_encoding, body, client_id)
            VALUES ($1, $2, $3, $4, $5, $6, $7)""";
    static final String PRUNE = """
            DELETE FROM bad_report
            WHERE id <= (SELECT max(id) FROM bad_report) - $1
               OR received_at < now() - make_interval(secs => $2)""";

    private final Pool pool;
    private final StatesysConfig config;

    public BadReports(Pool pool, StatesysConfig config) {
        this.pool = pool;
        this.config = config;
    }

    /** Never fails: a refusal is answered whether or not its body could be kept. */
    public Uni<Void> keep(String service, String reason, String detail, String contentType, String contentEncoding, byte[] body) {
        byte[] kept = body == null ? null : body.length > config.limits().maxBodyBytes()
                ? Arrays.copyOf(body, (int) config.limits().maxBodyBytes()) : body;
        Tuple t = Tuple.tuple().addString(service).addString(reason).addString(detail)
                .addString(contentType).addString(contentEncoding)
                .addValue(kept == null ? null : Buffer.buffer(kept))
                .addUUID(kept == null ? null : RefusedBodies.clientId(RefusedBodies.text(prefix(kept), contentEncoding, 16384)).orElse(null));
        return pool.preparedQuery(KEEP).execute(t)
                .chain(() -> pool.preparedQuery(PRUNE).execute(Tuple.of(config.badReports().maxCount(),
                        (double) config.badReports().maxAge().toSeconds())))
                .replaceWithVoid()
                .onFailure().recoverWithItem(e -> {
                    LOG.warnf("could not keep refused report (%s): %s", reason, e.getMessage());
                    return null;
                });
    }

    /** The header names the client within its first few KB; a gzip body is inflated whole (it is bounded). */
    private static byte[] prefix(byte[] body) {
        boolean gzipped = body.length > 2 && (body[0] & 0xFF) == 0x1F && (body[1] & 0xFF) == 0x8B;
        return gzipped || body.length <= 16384 ? body : Arrays.copyOf(body, 16384);
    }
}
