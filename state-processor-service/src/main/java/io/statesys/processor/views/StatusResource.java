package io.statesys.processor.views;

import io.smallrye.mutiny.Uni;
import io.statesys.processor.views.SystemStatus.Beat;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.List;

/** The state system at a glance: backlog, what was processed, what was refused, who is alive. */
@Path("/api/v1/status")
@Produces(MediaType.APPLICATION_JSON)
public class StatusResource {
    private final SystemStatus status;

    public StatusResource(SystemStatus status) {
        this.status = status;
    }

    public record Inbox(long reports, long messages, long oldestAgeSeconds) {
    }

    public record Status(Inbox inbox, long processed, long invalid, long badReports, long duplicates, List<Beat> heartbeats) {
    }

    @GET
    public Uni<Status> status() {
        return status.totals().chain(t -> status.heartbeats().map(beats -> new Status(
                new Inbox(t.inboxReports(), t.inboxMessages(), t.oldestAgeSeconds()),
                t.processed(), t.invalid(), t.badReports(), t.duplicates(), beats)));
    }
}
