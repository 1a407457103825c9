package io.statesys.fsp.deadletter;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import io.statesys.core.report.ClientId;
import io.statesys.service.admin.AdminOnly;
import io.statesys.service.error.ApiException;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.time.Instant;
import java.util.List;

/** The newest dead letters, for diagnosis; an admin re-queues or discards one. */
@Path("/api/v1/fsp/dead-letters")
@Produces(MediaType.APPLICATION_JSON)
public class DeadLetterResource {
    private final DeadLetterActions actions;

    public DeadLetterResource(DeadLetterActions actions) {
        this.actions = actions;
    }

    public record Entry(long id, String clientId, String netbiosName, Instant receivedAt, Instant deadAt, int messages,
                        Integer relayStatus, String relayAnswer) {
    }

    @GET
    @WithSession
    public Uni<List<Entry>> newest() {
        return DeadLetter.<DeadLetter>findAll(Sort.descending("id")).page(0, 100).list()
                .map(list -> list.stream().map(d -> new Entry(d.id, ClientId.format(d.clientId), d.netbiosName,
                        d.receivedAt.toInstant(), d.deadAt.toInstant(), d.messageCount, d.relayStatus, d.relayAnswer)).toList());
    }

    @POST
    @Path("/{id}/requeue")
    @AdminOnly
    public Uni<DeadLetterActions.Outcome> requeue(@PathParam("id") long id) {
        return actions.requeue(id).map(o -> o.orElseThrow(() -> unknown(id)));
    }

    @DELETE
    @Path("/{id}")
    @AdminOnly
    public Uni<DeadLetterActions.Outcome> discard(@PathParam("id") long id) {
        return actions.discard(id).map(o -> o.orElseThrow(() -> unknown(id)));
    }

    private static ApiException unknown(long id) {
        return ApiException.notFound("unknown_dead_letter", "no dead letter " + id + " (re-queued or discarded already?)");
    }
}
