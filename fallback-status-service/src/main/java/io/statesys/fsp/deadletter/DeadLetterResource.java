package io.statesys.fsp.deadletter;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import io.statesys.core.report.ClientId;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.time.Instant;
import java.util.List;

/** The newest dead letters, for diagnosis. */
@Path("/api/v1/fsp/dead-letters")
@Produces(MediaType.APPLICATION_JSON)
public class DeadLetterResource {
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
}
