package io.statesys.relay.identity;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.statesys.testing.SigningClient;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

/**
 * The upgrade path: in {@code report} mode nothing is refused, but every report that would be is
 * counted by reason and its client marked unverified, so an admin sees who still sends unsigned
 * before switching to {@code enforce}.
 */
@QuarkusTest
@TestProfile(ReportModeTest.ReportMode.class)
class ReportModeTest {
    public static class ReportMode implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("statesys.identity.mode", "report");
        }
    }

    @Inject
    Pool pool;

    @Test
    void unsignedAndBadlySignedReportsAreAcceptedCountedAndTheClientMarkedUnverified() {
        SigningClient c = SigningClient.ed25519();
        given().body(c.report(1, 1)).contentType("text/xml").post("/api/v1/statemessages").then().statusCode(202);
        c.signed(c.report(2, 1)).contentType("text/xml").post("/api/v1/statemessages").then().statusCode(202); // unregistered
        Row u = pool.preparedQuery("SELECT reports, last_reason FROM unverified_client WHERE client_id = $1")
                .execute(Tuple.of(c.client())).await().indefinitely().iterator().next();
        assertThat(u.getLong("reports")).isEqualTo(2);
        assertThat(u.getString("last_reason")).isEqualTo("unknown_client");
        assertThat(pool.preparedQuery("SELECT count(*) FROM inbox WHERE client_id = $1").execute(Tuple.of(c.client()))
                .await().indefinitely().iterator().next().getLong(0)).isEqualTo(2);
        given().get("/q/metrics").then()
                .body(containsString("statesys_identity_refused_total{enforced=\"false\",reason=\"signature_required\"}"));
    }
}
