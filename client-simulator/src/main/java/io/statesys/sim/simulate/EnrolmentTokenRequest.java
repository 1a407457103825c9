package io.statesys.sim.simulate;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Asks the resync service (admin) for an enrolment token valid for a day. */
public final class EnrolmentTokenRequest {
    private EnrolmentTokenRequest() {
    }

    public static String create(URI resync, String adminToken) {
        try {
            HttpRequest req = HttpRequest.newBuilder(URI.create(resync + "/api/v1/enrolment-tokens"))
                    .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + adminToken)
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"validFor\":\"P1D\"}")).build();
            HttpResponse<String> r = HttpClient.newHttpClient().send(req, HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 201) {
                throw new IllegalStateException("the resync service answered " + r.statusCode() + ": " + r.body());
            }
            return new ObjectMapper().readTree(r.body()).path("token").asText();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot reach the resync service at " + resync + ": " + e.getMessage(), e);
        }
    }
}
