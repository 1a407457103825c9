package io.statesys.relay.policy;

import io.quarkus.test.junit.QuarkusTest;
import io.statesys.core.report.ClientId;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

@QuarkusTest
class PolicyResourceTest {
    @Inject
    Pool pool;

    @Test
    void aClientWithoutRequestsHasNoResync() {
        UUID client = UUID.randomUUID();
        given().get("/api/v1/clients/{id}/policy", ClientId.format(client)).then()
                .statusCode(200)
                .body("clientId", equalTo(ClientId.format(client)))
                .body("resync", nullValue());
    }

    @Test
    void anOutstandingRequestIsServedUntilCompleted() {
        UUID client = UUID.randomUUID();
        long id = pool.preparedQuery("INSERT INTO resync_request (client_id) VALUES ($1) RETURNING id")
                .execute(Tuple.of(client)).await().indefinitely().iterator().next().getLong(0);
        given().get("/api/v1/clients/{id}/policy", ClientId.format(client).toLowerCase()).then()
                .statusCode(200)
                .body("resync.requestId", equalTo((int) id))
                .body("resync.issuedAt", notNullValue());

        pool.preparedQuery("UPDATE resync_request SET completed_at = now() WHERE id = $1").execute(Tuple.of(id)).await().indefinitely();
        given().get("/api/v1/clients/{id}/policy", ClientId.format(client)).then().statusCode(200).body("resync", nullValue());
    }

    @Test
    void aMalformedClientIdIs400() {
        given().get("/api/v1/clients/{id}/policy", "not-a-guid").then()
                .statusCode(400).body("error", equalTo("invalid_client_id"));
    }
}
