package io.statesys.core.report;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One state message: the state a client reports for one topic at one moment, usually stamped with
 * the client's serial number. {@code serialNumber} is null for messages sent without one
 * (CMPivot/script results, FSP messages): they are stored and reported but take no part in serial
 * tracking. {@code stateDetails} is null when the message carries none.
 */
public record StateMessage(
        Instant messageTime,
        Long serialNumber,
        int topicType,
        String topicId,
        int idType,
        int stateId,
        int criticality,
        List<String> userParameters,
        StateDetails stateDetails) {

    public static final int MAX_TOPIC_ID_LENGTH = 512;

    public StateMessage {
        Objects.requireNonNull(messageTime, "messageTime");
        Objects.requireNonNull(topicId, "topicId");
        userParameters = userParameters == null ? List.of() : List.copyOf(userParameters);
    }

    /** The common shape: a serial number and no StateDetails. */
    public StateMessage(Instant messageTime, long serialNumber, int topicType, String topicId, int idType, int stateId,
                        int criticality, List<String> userParameters) {
        this(messageTime, Long.valueOf(serialNumber), topicType, topicId, idType, stateId, criticality, userParameters, null);
    }

    /** A copy carrying another serial number: what a client does when it resends its cache on resync. */
    public StateMessage withSerialNumber(long serial) {
        return new StateMessage(messageTime, serial, topicType, topicId, idType, stateId, criticality, userParameters, stateDetails);
    }

    /** A copy without its serial number: how a message nobody vouched for is loaded (it takes no part in serial tracking). */
    public StateMessage withoutSerialNumber() {
        return new StateMessage(messageTime, null, topicType, topicId, idType, stateId, criticality, userParameters, stateDetails);
    }

    public boolean hasSerial() {
        return serialNumber != null;
    }

    public TopicKey topic() {
        return new TopicKey(topicType, topicId);
    }

    public boolean isResyncComplete() {
        return topicType == TopicTypes.RESYNC && stateId == TopicTypes.RESYNC_COMPLETE_STATE;
    }
}
