package io.statesys.resync.requests;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import io.statesys.core.report.ClientId;
import io.statesys.service.admin.AdminOnly;
import io.statesys.resync.policy.ResyncCheck;
import io.statesys.service.http.ClientIdParam;
import io.statesys.service.resync.IssuedResync;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import java.time.Instant;
import java.util.List;

/** Resync requests as operators see them (docs/api.md, "Resync service"). */
@Path("/api/v1/resync")
@Produces(MediaType.APPLICATION_JSON)
public class ResyncResource {
    static final int LIST_LIMIT = 1000;

    private final OutstandingResyncs outstanding;
    private final ResyncCheck check;

    public ResyncResource(OutstandingResyncs outstanding, ResyncCheck check) {
        this.outstanding = outstanding;
        this.check = check;
    }

    public record Outstanding(long issuedNotCompleted, long neverCompleted) {
    }

    /** A request as the API shows it (also what a forced resync answers). */
    static IssuedResync issued(ResyncRequest r) {
        return new IssuedResync(r.siteCode, r.id, ClientId.format(r.clientId), r.issuedAt.toInstant(), r.firstIssuedAt.toInstant(),
                r.reissueCount, r.reason, false);
    }

    public record CheckOutcome(long issued, long reissued) {
    }

    @GET
    @Path("/outstanding")
    public Uni<Outstanding> outstanding() {
        return outstanding.counts().map(c -> new Outstanding(c.issuedNotCompleted(), c.neverCompleted()));
    }

    @GET
    @Path("/requests")
    @WithSession
    public Uni<List<IssuedResync>> requests(@QueryParam("client") String client) {
        Uni<List<ResyncRequest>> found = client == null || client.isBlank()
                ? ResyncRequest.outstanding(LIST_LIMIT)
                : ResyncRequest.outstandingFor(ClientIdParam.fromString(client).uuid());
        return found.map(list -> list.stream().map(ResyncResource::issued).toList());
    }

    @POST
    @Path("/check")
    @AdminOnly
    public Uni<CheckOutcome> checkNow() {
        return check.run().map(o -> new CheckOutcome(o.issued(), o.reissued()));
    }
}
