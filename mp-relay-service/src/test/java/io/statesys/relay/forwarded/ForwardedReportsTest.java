package io.statesys.relay.forwarded;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.statesys.core.signing.RequestSigner;
import io.statesys.service.forwarding.ForwardedReports;
import io.statesys.service.identity.EnrolmentTokens;
import io.statesys.testing.Reports;
import io.statesys.testing.SigningClient;
import io.statesys.testing.contract.IdentityEnforced;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

/**
 * The FSP's batch door, with identity enforced: each report is judged as the single-report door
 * would judge it, everything admitted is committed together, and only the FSP may knock.
 */
@QuarkusTest
@TestProfile(IdentityEnforced.class)
class ForwardedReportsTest {
    static final String BATCHES = "/api/v1/forwarded-reports";
    static final String INTERNAL = "Bearer " + IdentityEnforced.INTERNAL_TOKEN;

    @Inject
    Pool pool;
    @Inject
    EnrolmentTokens tokens;

    SigningClient registered() {
        SigningClient c = SigningClient.ed25519();
        String token = tokens.create(pool, Duration.ofDays(1)).await().indefinitely().token();
        c.signed(c.registration(c.keys())).header("Authorization", "Bearer " + token).contentType("application/json")
                .post("/api/v1/clients/registrations").then().statusCode(201);
        return c;
    }

    static ForwardedReports.Entry signed(SigningClient c, byte[] body) {
        RequestSigner.Fields f = RequestSigner.sign(body, c.clientId(), c.alg(), c.keys().getPrivate());
        return new ForwardedReports.Entry("text/xml", null, f.contentDigest(), f.signatureInput(), f.signature(), body);
    }

    static ForwardedReports.Entry unsigned(byte[] body) {
        return new ForwardedReports.Entry("text/xml", null, null, null, null, body);
    }

    List<Row> inboxRows(UUID client) {
        List<Row> rows = new ArrayList<>();
        pool.preparedQuery("SELECT id, source, message_count, unsigned FROM inbox WHERE client_id = $1 ORDER BY id").execute(Tuple.of(client))
                .await().indefinitely().forEach(rows::add);
        return rows;
    }

    @Test
    void eachReportIsJudgedAsAloneAndWhatIsAdmittedIsCommittedTogetherInOrder() {
        SigningClient a = registered();
        SigningClient b = registered();
        SigningClient stranger = SigningClient.ed25519();
        Reports fspOwn = Reports.forNewClient();
        byte[] bSecond = b.report(10, 2);
        ForwardedReports batch = new ForwardedReports(List.of(
                signed(a, a.report(1, 3)),                                        // 202
                unsigned(fspOwn.detections(1, 2, Instant.now()).utf16()),           // 202: unsigned, the FSP's (internal token)
                signed(b, b.report(1, 4)),                                        // 202
                new ForwardedReports.Entry("text/xml", null, signed(b, bSecond).contentDigest(), signed(b, bSecond).signatureInput(),
                        signed(a, bSecond).signature(), bSecond),                   // 401: not b's signature
                unsigned("<Report><oops".getBytes(StandardCharsets.UTF_8)),        // 400
                signed(stranger, stranger.report(1, 1)),                          // 401: never registered
                signed(b, bSecond)));                                             // 202

        var results = given().header("Authorization", INTERNAL).contentType("application/json").body(batch)
                .post(BATCHES).then().statusCode(200).body("results", hasSize(7))
                .body("results[0].status", equalTo(202)).body("results[0].messages", equalTo(3))
                .body("results[0].clientId", equalTo(a.clientId()))
                .body("results[1].status", equalTo(202))
                .body("results[2].status", equalTo(202))
                .body("results[3].status", equalTo(401)).body("results[3].error", equalTo("invalid_signature"))
                .body("results[4].status", equalTo(400)).body("results[4].error", equalTo("invalid_report"))
                .body("results[5].status", equalTo(401)).body("results[5].error", equalTo("unknown_client"))
                .body("results[6].status", equalTo(202))
                .extract().jsonPath();

        assertThat(inboxRows(a.client())).extracting(r -> r.getLong("id")).containsExactly(results.getLong("results[0].reportId"));
        assertThat(inboxRows(b.client())).extracting(r -> r.getLong("id"))
                .containsExactly(results.getLong("results[2].reportId"), results.getLong("results[6].reportId"));
        assertThat(inboxRows(b.client())).extracting(r -> r.getInteger("message_count")).containsExactly(4, 2);
        assertThat(inboxRows(a.client())).extracting(r -> r.getString("source")).containsExactly("fsp");
        assertThat(inboxRows(stranger.client())).isEmpty();
        assertThat(inboxRows(fspOwn.client())).extracting(r -> r.getLong("id")).containsExactly(results.getLong("results[1].reportId"));
        // what nobody signed is stored as such, for the loader to treat as unverified; the signed ones are not
        assertThat(inboxRows(fspOwn.client())).extracting(r -> r.getBoolean("unsigned")).containsExactly(true);
        assertThat(inboxRows(a.client())).extracting(r -> r.getBoolean("unsigned")).containsExactly(false);
    }

    @Test
    void aSignedReportTheFspTookFreshIsLoadedThoughItWaitedThereLongerThanTheSignatureWindow() {
        SigningClient a = registered();
        byte[] body = a.report(1, 2);
        long threeDaysAgo = System.currentTimeMillis() / 1000 - 3 * 86_400;
        RequestSigner.Fields f = RequestSigner.sign(body, threeDaysAgo, List.of(
                new RequestSigner.Signer("statesys", a.clientId(), a.alg(), a.keys().getPrivate())));
        ForwardedReports batch = new ForwardedReports(List.of(
                new ForwardedReports.Entry("text/xml", null, f.contentDigest(), f.signatureInput(), f.signature(), body)));
        given().header("Authorization", INTERNAL).contentType("application/json").body(batch).post(BATCHES).then()
                .statusCode(200).body("results[0].status", equalTo(202));
    }

    @Test
    void onlyTheFspMayForwardBatches() {
        ForwardedReports batch = new ForwardedReports(List.of(unsigned(Reports.forNewClient().detections(1, 1, Instant.now()).utf16())));
        given().contentType("application/json").body(batch).post(BATCHES).then().statusCode(401)
                .body("error", equalTo("internal_token_required"));
        given().header("Authorization", "Bearer not-the-token").contentType("application/json").body(batch).post(BATCHES).then()
                .statusCode(401);
    }

    @Test
    void anEmptyBatchIsAnsweredAndAnOversizedOneRefused() {
        given().header("Authorization", INTERNAL).contentType("application/json").body(new ForwardedReports(List.of()))
                .post(BATCHES).then().statusCode(200).body("results", hasSize(0));
        ForwardedReports.Entry one = unsigned(Reports.forNewClient().detections(1, 1, Instant.now()).utf16());
        given().header("Authorization", INTERNAL).contentType("application/json")
                .body(new ForwardedReports(Collections.nCopies(ForwardedReportsResource.MAX_REPORTS + 1, one)))
                .post(BATCHES).then().statusCode(400).body("error", equalTo("invalid_batch"));
        given().header("Authorization", INTERNAL).contentType("application/json").body("{\"reports\":[{\"contentType\":\"text/xml\"}]}")
                .post(BATCHES).then().statusCode(200).body("results[0].status", equalTo(400));
    }
}
