package io.statesys.schema;

/**
 * Clients per state of one topic, with the catalog's state names — one statement for every service
 * that answers it (the processor's topic summary, the console's topic page). Parameters: topic type,
 * topic id; columns state_id, state_name, clients. Answered from the topic index alone.
 */
public final class TopicSummary {
    public static final String CLIENTS_PER_STATE = """
            SELECT c.state_id, coalesce(n.state_name, 'Unknown') AS state_name, c.clients
            FROM (SELECT state_id, count(*) AS clients FROM topic_state
                  WHERE topic_type = $1 AND topic_id = $2 GROUP BY state_id) c
            LEFT JOIN state_name n ON n.topic_type = $1 AND n.state_id = c.state_id
            ORDER BY c.state_id""";

    private TopicSummary() {
    }
}
