package io.statesys.processor.views;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;

/**
 * Clients per state of one topic: for a software update, how many clients need it, have it
 * installed, failed. Answered from the (topic_type, topic_id, state_id) index alone.
 */
@ApplicationScoped
public class TopicSummaries {
    static final String SUMMARY = io.statesys.schema.TopicSummary.CLIENTS_PER_STATE;

    private final Pool pool;

    public TopicSummaries(Pool pool) {
        this.pool = pool;
    }

    public record StateCount(int stateId, String stateName, long clients) {
    }

    public Uni<List<StateCount>> clientsPerState(int topicType, String topicId) {
        return pool.preparedQuery(SUMMARY).execute(Tuple.of(topicType, topicId)).map(rows -> {
            List<StateCount> states = new ArrayList<>();
            for (Row r : rows) {
                states.add(new StateCount(r.getInteger("state_id"), r.getString("state_name"), r.getLong("clients")));
            }
            return states;
        });
    }
}
