package io.statesys.relay.ingest;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.config.EncoderConfig;
import io.restassured.response.ValidatableResponse;
import io.statesys.core.codec.ReportWriter;
import io.statesys.core.codec.XmlEncoding;
import io.statesys.core.inbox.InboxPayload;
import io.statesys.core.report.StateMessage;
import io.statesys.testing.Reports;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.not;

@QuarkusTest
class StateMessageIngestTest {
    private static final String PATH = "/api/v1/statemessages";

    @Inject
    Pool pool;

    @io.quarkus.test.common.http.TestHTTPResource("/")
    java.net.URI relay;

    @BeforeAll
    static void rawContentTypes() {
        RestAssured.config = RestAssured.config().encoderConfig(
                EncoderConfig.encoderConfig().appendDefaultContentCharsetToContentTypeIfUndefined(false));
    }

    @Test
    void theContractExampleSentAsUtf16IsCommittedToTheInboxAndAnswered202() {
        long reportId = post(Reports.utf16(Reports.contractExample()), "text/xml")
                .statusCode(202)
                .body("clientId", equalTo(Reports.CONTRACT_CLIENT))
                .body("messages", equalTo(1))
                .body("resyncRequested", equalTo(false))
                .body("reportId", greaterThan(0))
                .extract().jsonPath().getLong("reportId");

        Row row = inboxRow(reportId);
        assertThat(row.getUUID("client_id")).isEqualTo(UUID.fromString("2b6c1d4e-7a0f-4c55-9e1b-0f3c2a9d8e71"));
        assertThat(row.getString("netbios_name")).isEqualTo("WKS-0042");
        assertThat(row.getInteger("message_count")).isEqualTo(1);
        List<StateMessage> stored = InboxPayload.decode(row.getBuffer("payload").getBytes());
        assertThat(stored).containsExactly(new StateMessage(Instant.parse("2026-11-24T10:14:58Z"), 1043, 500,
                "21e49ac6-a273-4a61-9794-eb675bc743e5", 3, 2, 0, List.of("102")));
    }

    @Test
    void aMessageDatedFarInTheFutureIsRefusedByNameAndNothingIsStored() {
        Reports r = Reports.forNewClient().detection(1, "kb-now", 2, Instant.now())
                .detection(2, "kb-2099", 2, Instant.parse("2099-01-01T00:00:00Z"));
        post(r.utf16(), "text/xml").statusCode(400)
                .body("error", equalTo("invalid_report"))
                .body("detail", containsString("StateMessage[2]/@MessageTime"));
        assertThat(pool.preparedQuery("SELECT count(*) FROM inbox WHERE client_id = $1").execute(Tuple.of(r.client()))
                .await().indefinitely().iterator().next().getLong(0)).isZero();
    }

    @Test
    void aClientClockAnHourAheadIsWithinTheSkew() {
        post(Reports.forNewClient().detection(1, "kb", 2, Instant.now().plusSeconds(3600)).utf16(), "text/xml").statusCode(202);
    }

    @Test
    void utf16BigEndianIsAccepted() {
        Reports r = Reports.forNewClient().detections(1, 3, Instant.now());
        post(ReportWriter.write(r.report(), XmlEncoding.UTF_16BE), "application/xml").statusCode(202).body("messages", equalTo(3));
    }

    @Test
    void utf8IsAccepted() {
        post(Reports.forNewClient().detections(1, 2, Instant.now()).utf8(), "application/xml").statusCode(202);
    }

    @Test
    void utf16WithoutBomIsAccepted() {
        byte[] noBom = Reports.contractExample().getBytes(StandardCharsets.UTF_16LE);
        post(noBom, "text/xml").statusCode(202);
    }

    @Test
    void gzipBodiesAreInflated() throws IOException {
        given().header("Content-Encoding", "gzip").contentType("text/xml")
                .body(gzip(Reports.forNewClient().detections(1, 5, Instant.now()).utf16()))
                .when().post(PATH).then().statusCode(202).body("messages", equalTo(5));
    }

    @Test
    void cimMessageTimesAreStoredAsTheInstantTheyName() {
        String cim = Reports.contractExample().replace("2026-11-24T10:14:58Z", "20261124121458.000000+120");
        long id = post(Reports.utf16(cim), "text/xml").statusCode(202).extract().jsonPath().getLong("reportId");
        StateMessage m = InboxPayload.decode(inboxRow(id).getBuffer("payload").getBytes()).get(0);
        assertThat(m.messageTime()).isEqualTo(Instant.parse("2026-11-24T10:14:58Z"));
    }

    @Test
    void aFiftyMessageReportIsStoredCompressedWithLz4AndReadsBackWhole() {
        Reports r = Reports.forNewClient().detections(1, 50, Instant.now());
        long id = post(r.utf16(), "text/xml").statusCode(202).extract().jsonPath().getLong("reportId");
        Row row = pool.preparedQuery("SELECT pg_column_compression(payload) AS method, payload FROM inbox WHERE id = $1")
                .execute(Tuple.of(id)).await().indefinitely().iterator().next();
        assertThat(row.getString("method")).as("V15: the payload is over the TOAST threshold and lz4 compresses it").isEqualTo("lz4");
        assertThat(InboxPayload.decode(row.getBuffer("payload").getBytes())).hasSize(50);
    }

    @Test
    void aTenThousandMessageReportInUtf16FitsTheDefaultLimit() {
        Reports r = Reports.forNewClient().detections(1, 10_000, Instant.now());
        byte[] body = r.utf16();
        assertThat(body.length).as("UTF-16 body").isGreaterThan(4 * 1024 * 1024).isLessThan(8 * 1024 * 1024);
        long id = post(body, "text/xml").statusCode(202).body("messages", equalTo(10_000))
                .extract().jsonPath().getLong("reportId");
        assertThat(inboxRow(id).getInteger("message_count")).isEqualTo(10_000);
    }

    @Test
    void anInvalidReportIs400WithWhatAndWhereAndItsBodyIsKept() {
        String bad = Reports.contractExample().replace(" MessageTime=\"2026-11-24T10:14:58Z\"", "");
        post(Reports.utf16(bad), "text/xml")
                .statusCode(400)
                .body("error", equalTo("invalid_report"))
                .body("detail", equalTo("StateMessage[1]/@MessageTime: missing"));
        Row kept = pool.query("SELECT * FROM bad_report WHERE detail = 'StateMessage[1]/@MessageTime: missing' ORDER BY id DESC LIMIT 1")
                .execute().await().indefinitely().iterator().next();
        assertThat(kept.getString("reason")).isEqualTo("invalid_report");
        assertThat(kept.getBuffer("body").getBytes()).isEqualTo(Reports.utf16(bad));
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
        "encoding=\"UTF-16\"|encoding=\"UTF-16\" standalone=\"yes\"|",
        "Criticality=\"0\"|Criticality=\"99999\"|StateMessage[1]/State/@Criticality: outside 0..255: 99999",
        "Count=\"1\"|Count=\"2\"|StateMessage[1]/UserParameters/@Count: says 2 but 1 Param follow",
        "SerialNumber=\"1043\"|SerialNumber=\"+1043\"|StateMessage[1]/@SerialNumber: not a 64-bit integer: '+1043'"})
    void looseInputIs400NamingTheField(String from, String to, String detail) {
        ValidatableResponse r = post(Reports.utf16(Reports.contractExample().replace(from, to)), "text/xml");
        if (detail == null) {
            r.statusCode(202); // the control: a harmless change is still accepted
        } else {
            r.statusCode(400).body("error", equalTo("invalid_report")).body("detail", equalTo(detail));
        }
    }

    @Test
    void aBodyDeclaredIso88591Is400() {
        byte[] latin1 = Reports.contractExample().replace("encoding=\"UTF-16\"", "encoding=\"ISO-8859-1\"")
                .getBytes(StandardCharsets.ISO_8859_1);
        post(latin1, "text/xml").statusCode(400).body("detail", equalTo("XML declaration: encoding 'ISO-8859-1' is not UTF-8 or UTF-16"));
    }

    @Test
    void malformedXmlIs400() {
        post("<Report><ReportHeader>".getBytes(StandardCharsets.UTF_8), "text/xml")
                .statusCode(400).body("error", equalTo("invalid_report")).body("detail", containsString("line"));
    }

    @Test
    void anUnknownClientIdFormIs400() {
        post(Reports.utf16(Reports.contractExample().replace("GUID:2B6C", "WKS:2B6C")), "text/xml")
                .statusCode(400).body("detail", containsString("ClientID"));
    }

    @Test
    void externalEntitiesAreRefusedWithoutReadingFiles() {
        post(Reports.resource("reports/xxe-file.xml").getBytes(StandardCharsets.UTF_8), "text/xml")
                .statusCode(400).body("error", equalTo("invalid_report")).body("detail", not(containsString("root:")));
    }

    @Test
    void billionLaughsIsRefused() {
        post(Reports.resource("reports/billion-laughs.xml").getBytes(StandardCharsets.UTF_8), "text/xml")
                .statusCode(400).body("detail", containsString("DTD"));
    }

    @Test
    void externalDtdIsRefused() {
        post(Reports.resource("reports/external-dtd.xml").getBytes(StandardCharsets.UTF_8), "text/xml")
                .statusCode(400).body("detail", containsString("DTD"));
    }

    @Test
    void aGzipBombIs413() throws IOException {
        byte[] bomb = gzip(new byte[64 * 1024 * 1024]);
        given().header("Content-Encoding", "gzip").contentType("text/xml").body(bomb)
                .when().post(PATH).then().statusCode(413).body("error", equalTo("report_too_large"));
    }

    @Test
    void aBodyDeclaredLargerThanTheLimitIs413() {
        byte[] big = new byte[8 * 1024 * 1024 + 1];
        post(big, "text/xml").statusCode(413).body("error", equalTo("report_too_large"));
    }

    /** Over every limit there is (the transport's 16M included): still the contract's JSON, never a bare status. */
    @Test
    void aBodyDeclaredFarLargerThanAnyLimitIs413JsonBeforeItIsSent() throws Exception {
        try (java.net.Socket s = new java.net.Socket(relay.getHost(), relay.getPort())) {
            s.getOutputStream().write(("POST " + PATH + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/xml\r\n"
                    + "Content-Length: 1073741824\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            String answer = new String(s.getInputStream().readNBytes(400), StandardCharsets.ISO_8859_1);
            assertThat(answer).startsWith("HTTP/1.1 413").contains("\"error\":\"report_too_large\"");
        }
    }

    /** A client that streams without Content-Length is counted as it sends, and refused with JSON once over. */
    @Test
    void aChunkedBodyOverTheLimitIs413JsonAndNothingIsStored() throws Exception {
        long before = inboxReports();
        byte[] chunk = new byte[64 * 1024];
        java.util.Arrays.fill(chunk, (byte) ' ');
        java.io.InputStream endless = new java.io.InputStream() {
            long sent;

            @Override
            public int read() {
                return sent++ < 32L * 1024 * 1024 ? ' ' : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (sent >= 32L * 1024 * 1024) {
                    return -1;
                }
                int n = Math.min(len, chunk.length);
                System.arraycopy(chunk, 0, b, off, n);
                sent += n;
                return n;
            }
        };
        java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1)
                .build().send(java.net.http.HttpRequest.newBuilder(relay.resolve(PATH)).header("Content-Type", "text/xml")
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofInputStream(() -> endless)).build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(r.body()).contains("\"error\":\"report_too_large\"").contains("8388608");
        assertThat(inboxReports()).isEqualTo(before);
    }

    /** A chunked body within the limit is read whole, as one with Content-Length. */
    @Test
    void aChunkedBodyWithinTheLimitIsAccepted() throws Exception {
        byte[] body = Reports.utf16(Reports.contractExample());
        java.net.http.HttpResponse<String> r = io.statesys.testing.ChunkedPost.send(relay.resolve(PATH), "text/xml", body);
        assertThat(r.statusCode()).isEqualTo(202);
        assertThat(r.body()).contains("\"messages\":1");
    }

    private long inboxReports() {
        return pool.query("SELECT count(*) FROM inbox").execute().await().indefinitely().iterator().next().getLong(0);
    }

    @Test
    void moreMessagesThanTheLimitIs413() {
        Reports r = Reports.forNewClient().detections(1, 10_001, Instant.now());
        post(r.utf8(), "text/xml").statusCode(413).body("detail", containsString("10000"));
    }

    @Test
    void aNonXmlMediaTypeIs415() {
        post(Reports.forNewClient().detections(1, 1, Instant.now()).utf8(), "application/json")
                .statusCode(415).body("error", equalTo("unsupported_media_type"));
    }

    @Test
    void anUnsupportedContentEncodingIs415() {
        given().header("Content-Encoding", "br").contentType("text/xml").body(new byte[] {1, 2, 3})
                .when().post(PATH).then().statusCode(415);
    }

    @Test
    void aClientWithAnOutstandingResyncLearnsItFromTheAnswer() {
        Reports r = Reports.forNewClient().detections(1, 1, Instant.now());
        pool.preparedQuery("INSERT INTO resync_request (client_id) VALUES ($1)").execute(Tuple.of(r.client())).await().indefinitely();
        post(r.utf16(), "text/xml").statusCode(202).body("resyncRequested", equalTo(true));
    }

    @Test
    void duplicateReportsAreBothKeptForTheLoaderToCount() {
        byte[] body = Reports.forNewClient().detections(7, 7, Instant.now()).utf16();
        long a = post(body, "text/xml").statusCode(202).extract().jsonPath().getLong("reportId");
        long b = post(body, "text/xml").statusCode(202).extract().jsonPath().getLong("reportId");
        assertThat(b).isGreaterThan(a);
    }

    private static ValidatableResponse post(byte[] body, String contentType) {
        return given().contentType(contentType).body(body).when().post(PATH).then();
    }

    private Row inboxRow(long id) {
        return pool.preparedQuery("SELECT * FROM inbox WHERE id = $1").execute(Tuple.of(id)).await().indefinitely().iterator().next();
    }

    static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }
}
