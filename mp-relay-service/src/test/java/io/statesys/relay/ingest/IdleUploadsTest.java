package io.statesys.relay.ingest;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.statesys.service.ingress.InFlightGate;
import io.statesys.testing.Reports;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static io.statesys.relay.ingest.RawHttp.readHead;
import static io.statesys.relay.ingest.RawHttp.waitFor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * Sockets that open a report upload and then send nothing, a trickle, or a burst and then nothing
 * cannot stop a replica's intake: bytes are charged as they arrive, an upload slower than the
 * minimum rate or longer than the body timeout is cut with 408, and one address has a bounded number
 * of uploads under way. Here with a 100,000-byte budget and a 2 s rate window.
 */
@QuarkusTest
@TestProfile(IdleUploadsTest.Tight.class)
class IdleUploadsTest {
    private static final String PATH = "/api/v1/statemessages";

    public static class Tight implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("statesys.limits.max-inflight-body-bytes", "100000",
                    "statesys.limits.body-rate-window", "2s",
                    "statesys.limits.min-body-rate", "1000",
                    "statesys.limits.body-timeout", "4s",
                    "statesys.limits.max-uploads-per-address", "12");
        }
    }

    @Inject
    InFlightGate gate;

    @io.quarkus.test.common.http.TestHTTPResource("/")
    java.net.URI relay;

    @Test
    void eightSocketsThatSendOnlyHeadersLeaveIntakeOpenAndAreCutWith408() throws Exception {
        List<Socket> idle = new ArrayList<>();
        try {
            for (int i = 0; i < 8; i++) {
                // half chunked (no length), half declaring a legal 8 MB body they never send
                idle.add(open(i % 2 == 0 ? "Transfer-Encoding: chunked" : "Content-Length: 8000000"));
            }
            Thread.sleep(200);
            assertThat(gate.held()).isZero();
            given().contentType("text/xml").body(Reports.forNewClient().detections(1, 5, Instant.now()).utf16())
                    .when().post(PATH).then().statusCode(202);
            for (Socket s : idle) {
                assertThat(readHead(s.getInputStream())).startsWith("HTTP/1.1 408");
            }
        } finally {
            for (Socket s : idle) {
                s.close();
            }
        }
    }

    @Test
    void aBurstThenSilenceIsCutAndGivesItsBytesBack() throws Exception {
        byte[] body = Reports.forNewClient().detections(1, 100, Instant.now()).utf16();
        try (Socket s = open("Content-Length: " + body.length)) {
            s.getOutputStream().write(body, 0, body.length - 10);
            s.getOutputStream().flush();
            waitFor(() -> gate.held() == body.length - 10);
            String head = readHead(s.getInputStream());
            assertThat(head).startsWith("HTTP/1.1 408");
            waitFor(() -> gate.held() == 0);
        }
    }

    @Test
    void aTrickleBelowTheMinimumRateIsCut() throws Exception {
        try (Socket s = open("Content-Length: 100000")) {
            s.setSoTimeout(10_000);
            long deadline = System.nanoTime() + 8_000_000_000L;
            boolean cut = false;
            while (!cut && System.nanoTime() < deadline) {
                try {
                    s.getOutputStream().write(new byte[50]); // 100 bytes a second, a tenth of the minimum
                    s.getOutputStream().flush();
                } catch (IOException closed) {
                    cut = true;
                }
                Thread.sleep(500);
                cut |= s.getInputStream().available() > 0;
            }
            assertThat(cut).as("cut within 8 s").isTrue();
        }
    }

    @Test
    void anUploadLongerThanTheBodyTimeoutIsCutThoughFastEnough() throws Exception {
        try (Socket s = open("Content-Length: 90000")) {
            s.setSoTimeout(10_000);
            long start = System.nanoTime();
            boolean cut = false;
            while (!cut && System.nanoTime() - start < 8_000_000_000L) {
                try {
                    s.getOutputStream().write(new byte[1000]); // 4,000 bytes a second: fast enough, never done in 4 s
                    s.getOutputStream().flush();
                } catch (IOException closed) {
                    cut = true;
                }
                Thread.sleep(250);
                cut |= s.getInputStream().available() > 0;
            }
            assertThat(cut).isTrue();
            assertThat((System.nanoTime() - start) / 1_000_000_000.0).isGreaterThanOrEqualTo(3.5);
        }
    }

    @Test
    void oneAddressHasABoundedNumberOfUploadsUnderWay() throws Exception {
        given().contentType("text/xml").body(Reports.forNewClient().detections(1, 1, Instant.now()).utf16())
                .when().post(PATH).then().statusCode(202);
        List<Socket> idle = new ArrayList<>();
        try {
            for (int i = 0; i < 12; i++) {
                idle.add(open("Transfer-Encoding: chunked"));
            }
            Thread.sleep(200);
            given().contentType("text/xml").body(Reports.forNewClient().detections(1, 1, Instant.now()).utf16())
                    .when().post(PATH).then().statusCode(503).header("Retry-After", "1")
                    .body("error", equalTo("busy")).body("detail", containsString("max-uploads-per-address"));
            for (Socket s : idle) {
                assertThat(readHead(s.getInputStream())).startsWith("HTTP/1.1 408");
            }
        } finally {
            for (Socket s : idle) {
                s.close();
            }
        }
        waitFor(() -> {
            try {
                return given().contentType("text/xml").body(Reports.forNewClient().detections(1, 1, Instant.now()).utf16())
                        .when().post(PATH).statusCode() == 202;
            } catch (RuntimeException e) {
                return false;
            }
        });
    }

    private Socket open(String framing) throws IOException {
        Socket s = new Socket(relay.getHost(), relay.getPort());
        s.setSoTimeout(15_000);
        s.getOutputStream().write(("POST " + PATH + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/xml\r\n" + framing + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        return s;
    }


}
