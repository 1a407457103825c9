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
        Reply<ForwardedReports.Results> reply = Reply.of(() -> batches.post(internalAuthorization, new ForwardedReports(reports)),
                ForwardedReports.Results.class);
        int status = reply.status();
        String body = reply.body();
        ForwardedReports.Results results = reply.entity();
        if (status == 404 || status == 405) {
            throw new BatchesUnsupported();
        }
        RelayBusy.check(status, body, reply.retryAfter());
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
        Reply<Void> reply = Reply.of(call, null);
        RelayBusy.check(reply.status(), reply.body(), reply.retryAfter());
        if (reply.status() >= 500 || reply.status() == 429 || reply.status() == 408) {
            throw new RelayUnavailable("relay answered " + reply.status() + ": " + reply.body(), null);
        }
        return new Answer(reply.status(), reply.body());
    }

    /**
     * What the relay answered one call, read the same way whether the REST client returned the
     * response or threw it: the status, its Retry-After, and either the 200 answer as
     * {@code okEntity} or the body as text. No answer at all is {@link RelayUnavailable}.
     */
    private record Reply<T>(int status, String retryAfter, String body, T entity) {
        static <T> Reply<T> of(java.util.function.Supplier<Response> call, Class<T> okEntity) {
            try (Response r = call.get()) {
                if (okEntity != null && r.getStatus() == 200) {
                    return new Reply<>(200, r.getHeaderString("Retry-After"), "", r.readEntity(okEntity));
                }
                return new Reply<>(r.getStatus(), r.getHeaderString("Retry-After"), r.hasEntity() ? r.readEntity(String.class) : "", null);
            } catch (WebApplicationException e) {
                Response r = e.getResponse();
                return new Reply<>(r.getStatus(), r.getHeaderString("Retry-After"),
                        r.hasEntity() ? r.readEntity(String.class) : e.getMessage(), null);
            } catch (ProcessingException e) {
                throw new RelayUnavailable("relay unreachable: " + e.getMessage(), e);
            }
        }
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
