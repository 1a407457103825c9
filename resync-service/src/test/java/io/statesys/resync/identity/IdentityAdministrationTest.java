package io.statesys.resync.identity;

import io.quarkus.test.junit.QuarkusTest;
import io.statesys.core.report.ClientId;
import io.statesys.service.identity.ClientIdentities;
import io.statesys.service.identity.ClientIdentity;
import io.statesys.service.identity.ClientKey;
import io.statesys.service.identity.EnrolmentTokens;
import io.statesys.testing.SigningClient;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

/** The admin calls of client identity on the resync service (docs/api.md, "Resync service"). */
@QuarkusTest
class IdentityAdministrationTest {
    static final String ADMIN = "Bearer test-admin-token";

    @Inject
    Pool pool;
    @Inject
    ClientIdentities identities;
    @Inject
    EnrolmentTokens tokens;

    @Test
    void aTokenIsShownOnceStoredOnlyAsAHashListedWithoutItsValueAndRevocable() {
        String token = given().header("Authorization", ADMIN).contentType("application/json").body("{\"validFor\":\"P3D\"}")
                .post("/api/v1/enrolment-tokens").then().statusCode(201)
                .body("id", notNullValue()).body("expiresAt", notNullValue())
                .extract().path("token");
        long id = Long.parseLong(token.substring(0, token.indexOf('.')));
        assertThat(tokens.usable(pool, token).await().indefinitely()).contains(id);
        String stored = pool.preparedQuery("SELECT encode(secret_hash, 'escape') FROM enrolment_token WHERE id = $1")
                .execute(Tuple.of(id)).await().indefinitely().iterator().next().getString(0);
        assertThat(stored).doesNotContain(token.substring(token.indexOf('.') + 1));

        given().header("Authorization", ADMIN).get("/api/v1/enrolment-tokens").then().statusCode(200)
                .body("id", hasItem((int) id)).body("", everyItem(not(hasKey("token"))));
        given().header("Authorization", ADMIN).delete("/api/v1/enrolment-tokens/{id}", id).then().statusCode(204);
        assertThat(tokens.usable(pool, token).await().indefinitely()).isEmpty();
        given().header("Authorization", ADMIN).get("/api/v1/enrolment-tokens").then()
                .body("find { it.id == " + id + " }.revoked", equalTo(true));
        given().header("Authorization", ADMIN).delete("/api/v1/enrolment-tokens/{id}", 987654321).then().statusCode(404);
    }

    @Test
    void aTokenIsValidForAtMostSevenDays() {
        for (String bad : new String[] {"{\"validFor\":\"P8D\"}", "{\"validFor\":\"PT0S\"}", "{\"validFor\":\"-P1D\"}",
                "{\"validFor\":\"three days\"}", "not json"}) {
            given().header("Authorization", ADMIN).contentType("application/json").body(bad).post("/api/v1/enrolment-tokens")
                    .then().statusCode(400).body("error", equalTo("invalid_token_request"));
        }
        given().header("Authorization", ADMIN).contentType("application/json").body("{\"validFor\":\"P7D\"}")
                .post("/api/v1/enrolment-tokens").then().statusCode(201);
    }

    @Test
    void identityCallsAreAdminOnly() {
        given().get("/api/v1/enrolment-tokens").then().statusCode(401);
        given().post("/api/v1/enrolment-tokens").then().statusCode(401);
        given().get("/api/v1/clients/{id}/identity", ClientId.format(UUID.randomUUID())).then().statusCode(401);
        given().header("Authorization", "Bearer wrong").post("/api/v1/clients/{id}/block", ClientId.format(UUID.randomUUID()))
                .then().statusCode(401);
    }

    @Test
    void anAdminSeesApprovesBlocksAndUnblocksAClient() {
        SigningClient c = SigningClient.ed25519();
        identities.insert(pool, c.client(), "WKS", ClientKey.fromDer(c.keys().getPublic().getEncoded()),
                ClientIdentity.Status.PENDING, null).await().indefinitely();
        given().header("Authorization", ADMIN).get("/api/v1/clients/{id}/identity", c.clientId()).then().statusCode(200)
                .body("clientId", equalTo(c.clientId())).body("status", equalTo("pending")).body("algorithm", equalTo("ed25519"))
                .body("keyFingerprint", equalTo(ClientKey.fingerprint(c.keys().getPublic().getEncoded())))
                .body("registeredAt", notNullValue());
        given().header("Authorization", ADMIN).post("/api/v1/clients/{id}/block", c.clientId()).then().statusCode(200)
                .body("status", equalTo("blocked"));
        given().header("Authorization", ADMIN).post("/api/v1/clients/{id}/unblock", c.clientId()).then().statusCode(200)
                .body("status", equalTo("pending")); // never approved: back to pending
        given().header("Authorization", ADMIN).post("/api/v1/clients/{id}/approve", c.clientId()).then().statusCode(200)
                .body("status", equalTo("approved"));
        given().header("Authorization", ADMIN).post("/api/v1/clients/{id}/block", c.clientId()).then().body("status", equalTo("blocked"));
        given().header("Authorization", ADMIN).post("/api/v1/clients/{id}/unblock", c.clientId()).then().body("status", equalTo("approved"));
    }

    @Test
    void anAdminResetForgetsAnIdentitySoItsClientRegistersAgainAndTheResetIsAudited() {
        SigningClient squatted = SigningClient.ed25519();
        SigningClient squatter = SigningClient.ed25519();
        identities.insert(pool, squatted.client(), "WKS", ClientKey.fromDer(squatter.keys().getPublic().getEncoded()),
                ClientIdentity.Status.PENDING, null).await().indefinitely();
        given().delete("/api/v1/clients/{id}/identity", squatted.clientId()).then().statusCode(401);
        given().header("Authorization", ADMIN).delete("/api/v1/clients/{id}/identity", squatted.clientId()).then().statusCode(200)
                .body("status", equalTo("pending"))
                .body("keyFingerprint", equalTo(ClientKey.fingerprint(squatter.keys().getPublic().getEncoded())));
        given().header("Authorization", ADMIN).get("/api/v1/clients/{id}/identity", squatted.clientId()).then().statusCode(404);
        given().header("Authorization", ADMIN).delete("/api/v1/clients/{id}/identity", squatted.clientId()).then().statusCode(404);
        // the key caches of relays and FSPs learn of it from the change feed
        assertThat(identities.changedSince(pool, java.time.OffsetDateTime.now().minusMinutes(1)).await().indefinitely()
                .changed()).containsKey(squatted.client());
        assertThat(pool.preparedQuery("SELECT count(*) FROM console_audit WHERE action = 'reset-client' AND target = $1")
                .execute(io.vertx.mutiny.sqlclient.Tuple.of(squatted.clientId())).await().indefinitely().iterator().next().getLong(0)).isOne();
        // the genuine client may now register its own key
        identities.insert(pool, squatted.client(), "WKS", ClientKey.fromDer(squatted.keys().getPublic().getEncoded()),
                ClientIdentity.Status.APPROVED, null).await().indefinitely();
    }

    @Test
    void anUnknownClientIs404() {
        given().header("Authorization", ADMIN).get("/api/v1/clients/{id}/identity", ClientId.format(UUID.randomUUID())).then()
                .statusCode(404).body("error", equalTo("unknown_client"));
        given().header("Authorization", ADMIN).post("/api/v1/clients/{id}/approve", ClientId.format(UUID.randomUUID())).then()
                .statusCode(404);
    }
}
