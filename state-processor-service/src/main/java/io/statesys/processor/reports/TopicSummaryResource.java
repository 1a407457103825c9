package io.statesys.processor.reports;

import io.smallrye.mutiny.Uni;
import io.statesys.processor.common.ApiErrors;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.ArrayList;
import java.util.List;

/**
 * Clients per state of one topic: for a software update, how many clients need it, have it
 * installed, failed. Answered from the (topic_type, topic_id, state_id) index alone.
 */
@Path("/api/v1/topics/{topicType}/{topicId}/summary")
@Produces(MediaType.APPLICATION_JSON)
public class TopicSummaryResource {
    static final String SUMMARY = """
            SELECT c.state_id, coalesce(n.state_name, 'Unknown') AS state_name, c.clients
            FROM (SELECT state_id, count(*) AS clients FROM topic_state
                  WHERE topic_type = $1 AND topic_id = $2 GROUP BY state_id) c
            LEFT JOIN state_name n ON n.topic_type = $1 AND n.state_id = c.state_id
            ORDER BY c.state_id""";

    private final Pool pool;

    public TopicSummaryResource(Pool pool) {
        this.pool = pool;
    }

    public record StateCount(int stateId, String stateName, long clients) {
    }

    public record Summary(int topicType, String topicId, List<StateCount> states) {
    }

    @GET
    public Uni<Summary> summary(@PathParam("topicType") String topicType, @PathParam("topicId") String topicId) {
        int type = ApiErrors.integer("topicType", topicType);
        if (topicId.isBlank() || topicId.length() > 512) {
            throw ApiErrors.badRequest("invalid_topicId", "topicId: empty or longer than 512 characters");
        }
        return pool.preparedQuery(SUMMARY).execute(Tuple.of(type, topicId)).map(rows -> {
            List<StateCount> states = new ArrayList<>();
            for (Row r : rows) {
                states.add(new StateCount(r.getInteger("state_id"), r.getString("state_name"), r.getLong("clients")));
            }
            return new Summary(type, topicId, states);
        });
    }
}
