package io.statesys.fsp.status;

import io.smallrye.mutiny.Uni;
import io.statesys.fsp.throttle.Throttle;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.time.Instant;

import static io.statesys.service.http.Instants.instant;

/** The fallback status point at a glance (docs/api.md, "Fallback status point"). */
@Path("/api/v1/fsp/status")
@Produces(MediaType.APPLICATION_JSON)
public class FspStatusResource {
    private final ForwardingStatus forwarding;
    private final Throttle throttle;

    public FspStatusResource(ForwardingStatus forwarding, Throttle throttle) {
        this.forwarding = forwarding;
        this.throttle = throttle;
    }

    public record ThrottleSettings(int messages, long intervalSeconds) {
    }

    public record Status(long queued, long forwarded, ThrottleSettings throttle, Instant lastForwardAt, String lastError,
                         Instant lastErrorAt, long oldestQueuedAgeSeconds, long deadLetters) {
    }

    @GET
    public Uni<Status> status() {
        return forwarding.read().map(s -> new Status(s.queued(), s.forwarded(),
                new ThrottleSettings(throttle.messages(), throttle.interval().toSeconds()),
                instant(s.lastForwardAt()), s.lastError(), instant(s.lastErrorAt()), s.oldestQueuedAgeSeconds(),
                s.deadLetters()));
    }
}
