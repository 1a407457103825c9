package io.statesys.processor.invalid;

import io.smallrye.mutiny.Uni;
import io.statesys.service.admin.AdminOnly;
import io.statesys.service.error.ApiException;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import java.util.List;

/** The loader's invalid records (docs/api.md, "State processor"): the newest, and an admin's re-queue. */
@Path("/api/v1/invalid-records")
@Produces(MediaType.APPLICATION_JSON)
public class InvalidRecordResource {
    static final int MOST_LISTED = 1000;
    static final int MOST_REQUEUED = 10_000;
    private final InvalidRecords records;

    public InvalidRecordResource(InvalidRecords records) {
        this.records = records;
    }

    @GET
    public Uni<List<InvalidRecords.Entry>> newest(@QueryParam("limit") @DefaultValue("100") int limit) {
        return records.newest(bounded(limit, MOST_LISTED));
    }

    @POST
    @Path("/{id}/requeue")
    @AdminOnly
    public Uni<InvalidRecords.Requeued> requeue(@PathParam("id") long id) {
        return records.requeue(id).chain(done -> done.isPresent() ? Uni.createFrom().item(done.get())
                : records.exists(id).map(exists -> {
                    throw exists
                            ? new ApiException(409, "not_loadable", "invalid record " + id
                                    + " holds no report to load (no payload, client or messages); it was left where it is")
                            : ApiException.notFound("unknown_invalid_record",
                                    "no invalid record " + id + " (re-queued already, or removed by retention?)");
                }));
    }

    /** The oldest records whose reason contains {@code reason} (every loadable one when absent), up to {@code limit}, in one transaction. */
    @POST
    @Path("/requeue")
    @AdminOnly
    public Uni<InvalidRecords.Requeued> requeueMatching(@QueryParam("reason") String reason,
                                                        @QueryParam("limit") @DefaultValue("1000") int limit) {
        return records.requeueMatching(reason == null || reason.isEmpty() ? null : reason, bounded(limit, MOST_REQUEUED));
    }

    private static int bounded(int limit, int most) {
        if (limit < 1 || limit > most) {
            throw ApiException.badRequest("invalid_limit", "limit must be 1.." + most + ", was " + limit);
        }
        return limit;
    }
}
