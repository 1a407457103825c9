package io.statesys.fsp.forward;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import io.statesys.core.config.StatesysConfig;
import io.statesys.service.forwarding.ForwardedReports;
import io.statesys.service.ingress.InFlightGate;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.inject.RestClient;

import java.time.Duration;
import java.time.temporal.ChronoUnit;

/**
 * One forward to the relay. A 2xx or 4xx is an answer (delivered, or refused for good); a 5xx, a
 * timeout or no connection is {@link RelayUnavailable}: the messages stay queued. The circuit
 * breaker stops the FSP from hammering a relay that is down, and lets one call through now and then.
 * A relay that answers {@code 503 busy} (its budget of report bytes in flight is spent) is up and
 * asked to be called again after its Retry-After: {@link RelayBusy}, which the breaker counts as an
 * answer, not an outage.
 */
@ApplicationScoped
public class RelayGateway {
    private final RelayClient relay;
    private final RelayBatchClient batches;
    private final String internalAuthorization;

    public RelayGateway(@RestClient RelayClient relay, @RestClient RelayBatchClient batches, StatesysConfig config) {
        this.relay = relay;
        this.batches = batches;
        this.internalAuthorization = config.internal().token().filter(t -> !t.isBlank()).map(t -> "Bearer " + t).orElse(null);
    }

    public record Answer(int status, String body) {
        public boolean accepted() {
            return status == 202 || status == 200;
        }
    }

    @Timeout(value = 30, unit = ChronoUnit.SECONDS)
    @CircuitBreaker(requestVolumeThreshold = 4, failureRatio = 0.75, delay = 2, delayUnit = ChronoUnit.SECONDS,
            failOn = RelayUnavailable.class, skipOn = RelayBusy.class)
    public Answer forward(byte[] report) {
        return answer(() -> relay.post(internalAuthorization, "fsp", report));
    }

    /** A signed report, forwarded with its original bytes and its client's signature fields. */
    @Timeout(value = 30, unit = ChronoUnit.SECONDS)
    @CircuitBreaker(requestVolumeThreshold = 4, failureRatio = 0.75, delay = 2, delayUnit = ChronoUnit.SECONDS,
            failOn = RelayUnavailable.class, skipOn = RelayBusy.class)
    public Answer forwardSigned(String contentEncoding, String contentDigest, String signatureInput, String signature, byte[] body) {
        return answer(() -> relay.postSigned(internalAuthorization, "fsp", contentEncoding, contentDigest, signatureInput,
                signature, body));
    }

    /**
     * Many reports in one call: one answer per report, in order. The batch as a whole is
     * {@link RelayUnavailable} when the relay could not commit it (nothing was stored) or refused
     * the batch itself (a wrong internal token is a configuration error, not the reports' fault:
     * they stay queued); {@link BatchesUnsupported} when the relay has no batch door (an older relay).
     */
    @Timeout(value = 60, unit = ChronoUnit.SECONDS)
    @CircuitBreaker(requestVolumeThreshold = 4, failureRatio = 0.75, delay = 2, delayUnit = ChronoUnit.SECONDS,
            failOn = RelayUnavailable.class, skipOn = RelayBusy.class)
    public java.util.List<Answer> forwardBatch(java.util.List<ForwardedReports.Entry> reports) {
        int status;
        ForwardedReports.Results results = null;
        String body = "";
        String retryAfter = null;
        try (Response r = batches.post(internalAuthorization, new ForwardedReports(reports))) {
            status = r.getStatus();
            retryAfter = r.getHeaderString("Retry-After");
            if (status == 200) {
                results = r.readEntity(ForwardedReports.Results.class);
            } else if (r.hasEntity()) {
                body = r.readEntity(String.class);
            }
        } catch (WebApplicationException e) {
            status = e.getResponse().getStatus();
            retryAfter = e.getResponse().getHeaderString("Retry-After");
            body = e.getResponse().hasEntity() ? e.getResponse().readEntity(String.class) : e.getMessage();
        } catch (ProcessingException e) {
            throw new RelayUnavailable("relay unreachable: " + e.getMessage(), e);
        }
        if (status == 404 || status == 405) {
            throw new BatchesUnsupported();
        }
        RelayBusy.check(status, body, retryAfter);
        if (status != 200 || results == null || results.results() == null || results.results().size() != reports.size()) {
            throw new RelayUnavailable("relay answered the batch " + status + ": " + body, null);
        }
        java.util.List<Answer> out = new java.util.ArrayList<>(reports.size());
        for (ForwardedReports.Result res : results.results()) {
            out.add(new Answer(res.status(), res.accepted() ? "" : errorJson(res)));
        }
        return out;
    }

    /** A refused report's answer as the single-report door would have written it (kept with its dead letter). */
    private static String errorJson(ForwardedReports.Result res) {
        try {
            return JSON.writeValueAsString(new io.statesys.service.error.ApiError(res.error(), res.detail()));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return String.valueOf(res.error());
        }
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    /** The relay has no batch door: forward one report per call. */
    public static class BatchesUnsupported extends RuntimeException {
        public BatchesUnsupported() {
            super("the relay has no /api/v1/forwarded-reports", null, false, false);
        }
    }

    private static Answer answer(java.util.function.Supplier<Response> call) {
        int status;
        String body;
        String retryAfter;
        try (Response r = call.get()) {
            status = r.getStatus();
            retryAfter = r.getHeaderString("Retry-After");
            body = r.hasEntity() ? r.readEntity(String.class) : "";
        } catch (WebApplicationException e) {
            status = e.getResponse().getStatus();
            retryAfter = e.getResponse().getHeaderString("Retry-After");
            body = e.getResponse().hasEntity() ? e.getResponse().readEntity(String.class) : e.getMessage();
        } catch (ProcessingException e) {
            throw new RelayUnavailable("relay unreachable: " + e.getMessage(), e);
        }
        RelayBusy.check(status, body, retryAfter);
        if (status >= 500 || status == 429 || status == 408) {
            throw new RelayUnavailable("relay answered " + status + ": " + body, null);
        }
        return new Answer(status, body);
    }

    /** The relay cannot take messages now; they stay queued and are retried with back-off. */
    public static class RelayUnavailable extends RuntimeException {
        public RelayUnavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * The relay is up but short of room for report bodies ({@code 503} with {@code "error":"busy"}):
     * nothing was stored, and it asks to be called again after {@link #retryAfter()}. Not an attempt
     * that failed — the messages keep their back-off — and not an outage for the circuit breaker.
     */
    public static class RelayBusy extends RuntimeException {
        static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(1);
        static final Duration MOST_RETRY_AFTER = Duration.ofSeconds(60);
        private final Duration retryAfter;

        public RelayBusy(Duration retryAfter) {
            super("relay busy: retry after " + retryAfter.toMillis() + " ms", null, false, false);
            this.retryAfter = retryAfter;
        }

        public Duration retryAfter() {
            return retryAfter;
        }

        static void check(int status, String body, String retryAfter) {
            if (status == 503 && isBusy(body)) {
                throw new RelayBusy(retryAfter(retryAfter));
            }
        }

        private static boolean isBusy(String body) {
            if (body == null || body.isBlank()) {
                return false;
            }
            try {
                com.fasterxml.jackson.databind.JsonNode error = JSON.readTree(body).get("error");
                return error != null && InFlightGate.BUSY_ERROR.equals(error.asText());
            } catch (java.io.IOException | RuntimeException e) {
                return false; // not the error contract: an ordinary 503
            }
        }

        /** Delta-seconds as the relay sends it; anything else (or nothing) is a second, and at most a minute. */
        static Duration retryAfter(String header) {
            if (header != null) {
                try {
                    long seconds = Long.parseLong(header.trim());
                    if (seconds >= 0) {
                        return Duration.ofSeconds(Math.min(seconds, MOST_RETRY_AFTER.toSeconds()));
                    }
                } catch (NumberFormatException e) {
                    // an HTTP date: the relay never sends one; fall through to the default
                }
            }
            return DEFAULT_RETRY_AFTER;
        }
    }
}
