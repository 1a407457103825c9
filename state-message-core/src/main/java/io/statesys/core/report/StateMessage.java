package io.statesys.core.report;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One state message: the state a client reports for one topic at one moment, stamped with the
 * client's serial number.
 */
public record StateMessage(
        Instant messageTime,
        long serialNumber,
        int topicType,
        String topicId,
        int idType,
        int stateId,
        int criticality,
        List<String> userParameters) {

    public static final int MAX_TOPIC_ID_LENGTH = 512;

    public StateMessage {
        Objects.requireNonNull(messageTime, "messageTime");
        Objects.requireNonNull(topicId, "topicId");
        userParameters = userParameters == null ? List.of() : List.copyOf(userParameters);
    }

    /** A copy carrying another serial number: what a client does when it resends its cache on resync. */
    public StateMessage withSerialNumber(long serial) {
        return new StateMessage(messageTime, serial, topicType, topicId, idType, stateId, criticality, userParameters);
    }

    public TopicKey topic() {
        return new TopicKey(topicType, topicId);
    }

    public boolean isResyncComplete() {
        return topicType == TopicTypes.RESYNC && stateId == TopicTypes.RESYNC_COMPLETE_STATE;
    }
}
