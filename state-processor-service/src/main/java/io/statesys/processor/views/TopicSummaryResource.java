package io.statesys.processor.views;

import io.smallrye.mutiny.Uni;
import io.statesys.processor.views.TopicSummaries.StateCount;
import io.statesys.service.error.ApiException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.List;

import static io.statesys.core.text.Abbreviation.abbreviate;

/** Clients per state of one topic (docs/api.md, "State processor"). */
@Path("/api/v1/topics/{topicType}/{topicId}/summary")
@Produces(MediaType.APPLICATION_JSON)
public class TopicSummaryResource {
    static final int MAX_TOPIC_ID = 512;

    private final TopicSummaries summaries;

    public TopicSummaryResource(TopicSummaries summaries) {
        this.summaries = summaries;
    }

    public record Summary(int topicType, String topicId, List<StateCount> states) {
    }

    @GET
    public Uni<Summary> summary(@PathParam("topicType") String topicType, @PathParam("topicId") String topicId) {
        int type = topicType(topicType);
        checkTopicId(topicId);
        return summaries.clientsPerState(type, topicId).map(states -> new Summary(type, topicId, states));
    }

    /** ASCII digits only, with an optional minus: what the report reader accepts for Topic@Type. */
    static int topicType(String text) {
        if (!text.matches("-?[0-9]{1,10}")) {
            throw ApiException.badRequest("invalid_topicType", "topicType: not an integer: '" + abbreviate(text) + "'");
        }
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("invalid_topicType", "topicType: out of range: '" + text + "'");
        }
    }

    /** A topic id is text a client wrote; Postgres text cannot hold NUL, and nothing that long is stored. */
    static void checkTopicId(String topicId) {
        if (topicId.isBlank() || topicId.length() > MAX_TOPIC_ID) {
            throw ApiException.badRequest("invalid_topicId", "topicId: empty or longer than " + MAX_TOPIC_ID + " characters");
        }
        if (topicId.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw ApiException.badRequest("invalid_topicId", "topicId: contains a control character");
        }
    }
}
