package io.statesys.fsp.forward;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import io.statesys.core.config.StatesysConfig;
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
    private final String internalAuthorization;

    public RelayGateway(@RestClient RelayClient relay, StatesysConfig config) {
        this.relay = relay;
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
