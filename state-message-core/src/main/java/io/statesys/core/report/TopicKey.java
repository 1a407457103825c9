package io.statesys.core.report;

/** A topic on a client: the key of "latest state" (topic IDs are compared as sent). */
public record TopicKey(int topicType, String topicId) {
}
