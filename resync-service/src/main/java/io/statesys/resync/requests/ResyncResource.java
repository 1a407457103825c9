package io.statesys.resync.requests;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import io.statesys.core.intake.ApiError;
import io.statesys.core.report.ClientId;
import io.statesys.resync.admin.AdminOnly;
import io.statesys.resync.policy.ResyncCheck;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Resync requests as operators see them (CONTRACT §5). */
@Path("/api/v1/resync")
@Produces(MediaType.APPLICATION_JSON)
public class ResyncResource {
    /** The reference documents' two queries, verbatim, against the compatibility view. */
    static final String ISSUED_NOT_COMPLETED = "select count(*) from SR_ClientMessageStats where LastResyncIssuedTime is not null and (LastResyncIssuedTime > LastResyncClientCompletedTime)";
    static final String NEVER_COMPLETED = "select count(*) from SR_ClientMessageStats where LastResyncIssuedTime is not null and LastResyncClientCompletedTime is null";
    static final int LIST_LIMIT = 1000;

    private final Pool pool;
    private final ResyncCheck check;

    public ResyncResource(Pool pool, ResyncCheck check) {
        this.pool = pool;
        this.check = check;
    }

    public record Outstanding(long issuedNotCompleted, long neverCompleted) {
    }

    public record Request(long requestId, String clientId, Instant issuedAt, Instant firstIssuedAt, int reissueCount, String reason) {
        static Request of(ResyncRequest r) {
            return new Request(r.id, ClientId.format(r.clientId), r.issuedAt.toInstant(), r.firstIssuedAt.toInstant(),
                    r.reissueCount, r.reason);
        }
    }

    public record CheckOutcome(long issued, long reissued) {
    }

    @GET
    @Path("/outstanding")
    public Uni<Outstanding> outstanding() {
        return pool.query(ISSUED_NOT_COMPLETED).execute().map(r -> r.iterator().next().getLong(0))
                .chain(a -> pool.query(NEVER_COMPLETED).execute().map(r -> new Outstanding(a, r.iterator().next().getLong(0))));
    }

    @GET
    @Path("/requests")
    @WithSession
    public Uni<List<Request>> requests(@QueryParam("client") String client) {
        Uni<List<ResyncRequest>> found = client == null || client.isBlank()
                ? ResyncRequest.outstanding(LIST_LIMIT)
                : ResyncRequest.outstandingFor(clientId(client));
        return found.map(list -> list.stream().map(Request::of).toList());
    }

    @POST
    @Path("/check")
    @AdminOnly
    public Uni<CheckOutcome> checkNow() {
        return check.run().map(o -> new CheckOutcome(o.issued(), o.reissued()));
    }

    static UUID clientId(String text) {
        try {
            return ClientId.parse(text);
        } catch (IllegalArgumentException e) {
            throw new WebApplicationException(Response.status(400).type(MediaType.APPLICATION_JSON_TYPE)
                    .entity(new ApiError("invalid_client_id", "client: " + e.getMessage())).build());
        }
    }
}
