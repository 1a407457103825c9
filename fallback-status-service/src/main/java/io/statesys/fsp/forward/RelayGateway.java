package io.statesys.fsp.forward;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import io.statesys.core.config.StatesysConfig;
import io.statesys.service.forwarding.ForwardedReports;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.inject.RestClient;

import java.time.temporal.ChronoUnit;

/**
 * One forward to the relay. A 2xx or 4xx is an answer (delivered, or refused for good); a 5xx, a
 * timeout or no connection is {@link RelayUnavailable}: the messages stay queued. The circuit
 * breaker stops the FSP from hammering a relay that is down, and lets one call through now and then.
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
            failOn = RelayUnavailable.class)
    public Answer forward(byte[] report) {
        return answer(() -> relay.post(internalAuthorization, "fsp", report));
    }

    /** A signed report, forwarded with its original bytes and its client's signature fields. */
    @Timeout(value = 30, unit = ChronoUnit.SECONDS)
    @CircuitBreaker(requestVolumeThreshold = 4, failureRatio = 0.75, delay = 2, delayUnit = ChronoUnit.SECONDS,
            failOn = RelayUnavailable.class)
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
            failOn = RelayUnavailable.class)
    public java.util.List<Answer> forwardBatch(java.util.List<ForwardedReports.Entry> reports) {
        int status;
        ForwardedReports.Results results = null;
        String body = "";
        try (Response r = batches.post(internalAuthorization, new ForwardedReports(reports))) {
            status = r.getStatus();
            if (status == 200) {
                results = r.readEntity(ForwardedReports.Results.class);
            } else if (r.hasEntity()) {
                body = r.readEntity(String.class);
            }
        } catch (WebApplicationException e) {
            status = e.getResponse().getStatus();
            body = e.getMessage();
        } catch (ProcessingException e) {
            throw new RelayUnavailable("relay unreachable: " + e.getMessage(), e);
        }
        if (status == 404 || status == 405) {
            throw new BatchesUnsupported();
        }
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
        try (Response r = call.get()) {
            status = r.getStatus();
            body = r.hasEntity() ? r.readEntity(String.class) : "";
        } catch (WebApplicationException e) {
            status = e.getResponse().getStatus();
            body = e.getResponse().hasEntity() ? e.getResponse().readEntity(String.class) : e.getMessage();
        } catch (ProcessingException e) {
            throw new RelayUnavailable("relay unreachable: " + e.getMessage(), e);
        }
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
}
