package io.statesys.relay.identity;

import io.quarkus.test.junit.QuarkusTest;
import io.statesys.testing.SigningClient;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/** In {@code off} mode (the ingestion tests' profile) nothing is checked, and still a source header alone proves nothing. */
@QuarkusTest
class OffModeTest {
    @Inject
    Pool pool;

    @Test
    void unsignedReportsAreTakenButASourceHeaderDoesNotMakeThemTheFsps() {
        SigningClient c = SigningClient.ed25519();
        given().header("X-Statesys-Source", "fsp").body(c.report(1, 1)).contentType("text/xml").post("/api/v1/statemessages")
                .then().statusCode(202);
        assertThat(pool.preparedQuery("SELECT source FROM inbox WHERE client_id = $1").execute(Tuple.of(c.client()))
                .await().indefinitely().iterator().next().getString(0)).isEqualTo("mp");
        assertThat(pool.preparedQuery("SELECT count(*) FROM unverified_client WHERE client_id = $1").execute(Tuple.of(c.client()))
                .await().indefinitely().iterator().next().getLong(0)).isZero();
    }
}
