package io.statesys.relay.refused;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.statesys.service.identity.ClientIdentities;
import io.statesys.service.identity.ClientIdentity;
import io.statesys.service.identity.ClientKey;
import io.statesys.testing.Reports;
import io.statesys.testing.SigningClient;
import io.statesys.testing.contract.IdentityEnforced;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Refused bodies cannot fill the disk nor wash out the record: a prefix of each is kept, each
 * refusal reason is bounded by count and bytes of its own, and a body is attributed to a client
 * only when that client's signature verified. Here with small bounds: 1 KiB a body, 5 records or
 * 4 KiB a reason.
 */
@QuarkusTest
@TestProfile(RefusedBodiesTest.SmallBounds.class)
class RefusedBodiesTest {
    static final String REPORTS = "/api/v1/statemessages";

    public static class SmallBounds extends IdentityEnforced {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> m = new HashMap<>(super.getConfigOverrides());
            m.put("statesys.bad-reports.max-body-bytes", "1024");
            m.put("statesys.bad-reports.max-count", "5");
            m.put("statesys.bad-reports.max-bytes-per-reason", "4096");
            return m;
        }
    }

    @Inject
    Pool pool;
    @Inject
    ClientIdentities identities;

    long count(String sql, Object... args) {
        return pool.preparedQuery(sql).execute(Tuple.from(args)).await().indefinitely().iterator().next().getLong(0);
    }

    @Test
    void aLargeRefusedBodyKeepsOnlyAPrefixAndTheSizeItWasSentWith() {
        byte[] big = ("<Report>" + "x".repeat(200_000)).getBytes(StandardCharsets.UTF_8);
        given().body(big).contentType("text/xml").post(REPORTS).then().statusCode(400);
        Row kept = pool.query("SELECT octet_length(body) AS kept, body_size FROM bad_report WHERE reason = 'invalid_report' ORDER BY id DESC LIMIT 1")
                .execute().await().indefinitely().iterator().next();
        assertThat(kept.getInteger("kept")).isEqualTo(1024);
        assertThat(kept.getInteger("body_size")).isEqualTo(big.length);
    }

    @Test
    void aFloodOfOneReasonEvictsOnlyItsOwnAndNoReasonHoldsMoreThanItsBytes() {
        byte[] malformed = "<Report><oops".getBytes(StandardCharsets.UTF_8);
        given().body(malformed).contentType("text/xml").post(REPORTS).then().statusCode(400);
        long invalidBefore = count("SELECT count(*) FROM bad_report WHERE reason = 'invalid_report'");
        assertThat(invalidBefore).isPositive();
        // unsigned reports (signature_required), each 30 kB: kept as 1 KiB prefixes, 4 at most by bytes
        for (int i = 0; i < 12; i++) {
            given().body(Reports.forNewClient().detections(1, 60, Instant.now()).utf16()).contentType("text/xml").post(REPORTS)
                    .then().statusCode(401);
        }
        assertThat(count("SELECT count(*) FROM bad_report WHERE reason = 'signature_required'")).isEqualTo(4);
        assertThat(count("SELECT coalesce(sum(octet_length(body)), 0) FROM bad_report WHERE reason = 'signature_required'"))
                .isLessThanOrEqualTo(4096);
        assertThat(count("SELECT count(*) FROM bad_report WHERE reason = 'invalid_report'")).isEqualTo(invalidBefore);
    }

    @Test
    void aRefusedBodyIsAttributedToAClientOnlyWhenItsSignatureVerified() {
        // unsigned, naming a client: a claim, not an attribution
        UUID named = UUID.randomUUID();
        given().body(Reports.forClient(named).detections(1, 1, Instant.now()).utf16()).contentType("text/xml").post(REPORTS)
                .then().statusCode(401);
        assertThat(count("SELECT count(*) FROM bad_report WHERE claimed_client_id = $1 AND client_id IS NULL", named)).isOne();
        assertThat(count("SELECT count(*) FROM bad_report WHERE client_id = $1", named)).isZero();
        // a blocked client's own signed report: its signature verified, the refusal is its
        SigningClient blocked = SigningClient.ed25519();
        identities.insert(pool, blocked.client(), "WKS", ClientKey.fromDer(blocked.keys().getPublic().getEncoded()),
                ClientIdentity.Status.APPROVED, null).await().indefinitely();
        identities.block(pool, blocked.client()).await().indefinitely();
        blocked.signed(blocked.report(1, 1)).contentType("text/xml").post(REPORTS).then().statusCode(403);
        assertThat(count("SELECT count(*) FROM bad_report WHERE client_id = $1 AND reason = 'client_blocked'", blocked.client())).isOne();
        assertThat(count("SELECT count(*) FROM bad_report WHERE source = '127.0.0.1' AND claimed_client_id = $1", blocked.client())).isOne();
    }
}
