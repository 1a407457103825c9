package io.statesys.fsp.identity;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.statesys.core.report.StateMessage;
import io.statesys.core.signing.RequestSigner;
import io.statesys.service.identity.ClientIdentities;
import io.statesys.service.identity.ClientIdentity;
import io.statesys.service.identity.ClientKey;
import io.statesys.testing.Reports;
import io.statesys.testing.SigningClient;
import io.statesys.testing.contract.IdentityEnforced;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.security.KeyPair;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/** Client identity at the FSP, enforced: signed reports verified and kept whole; unsigned only for client deployment. */
@QuarkusTest
@TestProfile(IdentityEnforced.class)
class FspIdentityTest {
    static final String REPORTS = "/api/v1/statemessages";

    @Inject
    Pool pool;
    @Inject
    ClientIdentities identities;

    SigningClient withStatus(SigningClient c, ClientIdentity.Status status) {
        identities.insert(pool, c.client(), "WKS", ClientKey.fromDer(c.keys().getPublic().getEncoded()), status, null)
                .await().indefinitely();
        if (status == ClientIdentity.Status.BLOCKED) {
            identities.block(pool, c.client()).await().indefinitely();
        }
        return c;
    }

    long count(String sql, UUID client) {
        return pool.preparedQuery(sql).execute(Tuple.of(client)).await().indefinitely().iterator().next().getLong(0);
    }

    static byte[] deployment(UUID client, int messages) {
        Reports r = Reports.forClient(client);
        for (int i = 1; i <= messages; i++) {
            r.message(new StateMessage(Instant.now(), i, 800, "client-deployment", 0, 3, 0, List.of()));
        }
        return r.utf16();
    }

    @Test
    void unsignedClientDeploymentMessagesAreTakenBeforeTheClientRegisters() {
        UUID client = UUID.randomUUID();
        given().body(deployment(client, 5)).contentType("text/xml").post(REPORTS).then().statusCode(202).body("queued", equalTo(5));
        assertThat(count("SELECT count(*) FROM fsp_queue WHERE client_id = $1", client)).isEqualTo(5);
    }

    @Test
    void aRegisteredClientsUnsignedDeploymentMessagesAre401WhateverItsStatusSoNoOneWritesInItsName() {
        for (ClientIdentity.Status status : ClientIdentity.Status.values()) {
            SigningClient c = withStatus(SigningClient.ed25519(), status);
            given().body(deployment(c.client(), 6)).contentType("text/xml").post(REPORTS)
                    .then().statusCode(401).body("error", equalTo("signature_required"))
                    .body("detail", org.hamcrest.Matchers.containsString("has registered a key"));
            assertThat(count("SELECT count(*) FROM fsp_queue WHERE client_id = $1", c.client())).as(status.name()).isZero();
        }
    }

    @Test
    void anythingElseUnsignedIs401SignatureRequired() {
        UUID client = UUID.randomUUID();
        given().body(Reports.forClient(client).detections(1, 2, Instant.now()).utf16()).contentType("text/xml").post(REPORTS)
                .then().statusCode(401).body("error", equalTo("signature_required"));
        assertThat(count("SELECT count(*) FROM fsp_queue WHERE client_id = $1", client)).isZero();
    }

    @Test
    void aSignedReportOfAnApprovedClientIsKeptWholeWithItsSignature() {
        SigningClient c = withStatus(SigningClient.ed25519(), ClientIdentity.Status.APPROVED);
        c.signed(c.report(1, 4)).contentType("text/xml").post(REPORTS).then().statusCode(202).body("queued", equalTo(4));
        assertThat(count("SELECT count(*) FROM fsp_signed_report WHERE client_id = $1 AND message_count = 4 "
                + "AND signature_input LIKE 'statesys=%'", c.client())).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM fsp_queue WHERE client_id = $1", c.client())).isZero();
        given().get("/api/v1/fsp/status").then().statusCode(200);
    }

    @Test
    void refusalsAtTheFspAreTheRelays() {
        SigningClient unknown = SigningClient.ed25519();
        unknown.signed(unknown.report(1, 1)).contentType("text/xml").post(REPORTS).then().statusCode(401)
                .body("error", equalTo("unknown_client"));
        SigningClient pending = withStatus(SigningClient.ed25519(), ClientIdentity.Status.PENDING);
        pending.signed(pending.report(1, 1)).contentType("text/xml").post(REPORTS).then().statusCode(403)
                .body("error", equalTo("client_pending"));
        SigningClient blocked = withStatus(SigningClient.ed25519(), ClientIdentity.Status.BLOCKED);
        blocked.signed(blocked.report(1, 1)).contentType("text/xml").post(REPORTS).then().statusCode(403)
                .body("error", equalTo("client_blocked"));
        SigningClient approved = withStatus(SigningClient.ed25519(), ClientIdentity.Status.APPROVED);
        KeyPair wrong = SigningClient.generate("Ed25519", 0);
        approved.signedWith(wrong, "ed25519", approved.report(1, 1)).contentType("text/xml").post(REPORTS).then()
                .statusCode(401).body("error", equalTo("invalid_signature"));
        for (SigningClient c : List.of(unknown, pending, blocked, approved)) {
            assertThat(count("SELECT count(*) FROM fsp_signed_report WHERE client_id = $1", c.client())
                    + count("SELECT count(*) FROM fsp_queue WHERE client_id = $1", c.client())).isZero();
        }
    }

    @Test
    void aDigestMismatchMalformedFieldsOrAnotherClientsKeyIdAre401InvalidSignature() {
        SigningClient c = withStatus(SigningClient.ed25519(), ClientIdentity.Status.APPROVED);
        byte[] body = c.report(1, 1);
        RequestSigner.Fields f = RequestSigner.sign(body, c.clientId(), "ed25519", c.keys().getPrivate());
        // the body changed after signing
        SigningClient.with(given(), f).body(c.report(2, 1)).contentType("text/xml").post(REPORTS).then()
                .statusCode(401).body("error", equalTo("invalid_signature"));
        // a Signature-Input that is not a dictionary
        given().header("Content-Digest", f.contentDigest()).header("Signature-Input", "statesys=(\"content-digest\"")
                .header("Signature", f.signature()).body(body).contentType("text/xml").post(REPORTS).then()
                .statusCode(401).body("error", equalTo("invalid_signature"));
        // signed under another client's key id
        SigningClient other = withStatus(SigningClient.ed25519(), ClientIdentity.Status.APPROVED);
        SigningClient.with(given(), RequestSigner.sign(body, other.clientId(), "ed25519", other.keys().getPrivate()))
                .body(body).contentType("text/xml").post(REPORTS).then().statusCode(401).body("error", equalTo("invalid_signature"));
        assertThat(count("SELECT count(*) FROM fsp_signed_report WHERE client_id = $1", c.client())).isZero();
    }

    @Test
    void aSignedClientDeploymentReportIsVerifiedToo() {
        SigningClient c = SigningClient.ed25519(); // not registered: a signature is checked whenever one is present
        c.signed(deployment(c.client(), 2)).contentType("text/xml").post(REPORTS).then().statusCode(401)
                .body("error", equalTo("unknown_client"));
    }
}
