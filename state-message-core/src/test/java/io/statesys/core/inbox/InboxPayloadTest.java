package io.statesys.core.inbox;

import io.statesys.core.report.StateMessage;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InboxPayloadTest {

    @Test
    void messagesSurviveTheCompactColumnUnchanged() {
        List<StateMessage> messages = List.of(
                new StateMessage(Instant.parse("2026-11-24T10:14:58.123456Z"), 1043, 500, "21e49ac6-a273-4a61-9794-eb675bc743e5", 3, 2, 0, List.of("102")),
                new StateMessage(Instant.parse("1969-12-31T23:59:59Z"), Long.MAX_VALUE, -7, "Ünïcødé 漢字", 0, Integer.MIN_VALUE, 5, List.of("", "a", "b")));
        assertThat(InboxPayload.decode(InboxPayload.encode(messages))).isEqualTo(messages);
    }

    @Test
    void aTypicalMessageTakesFarLessRoomThanItsXml() {
        StateMessage m = new StateMessage(Instant.parse("2026-11-24T10:14:58Z"), 1043, 500, "21e49ac6-a273-4a61-9794-eb675bc743e5", 3, 2, 0, List.of("102"));
        assertThat(InboxPayload.encode(List.of(m)).length).isLessThan(70);
    }

    @Test
    void truncatedPayloadsAreReportedAsCorrupt() {
        byte[] p = InboxPayload.encode(List.of(new StateMessage(Instant.now(), 1, 500, "x", 3, 2, 0, List.of())));
        byte[] cut = java.util.Arrays.copyOf(p, p.length - 2);
        assertThatThrownBy(() -> InboxPayload.decode(cut)).isInstanceOf(InboxPayload.CorruptPayloadException.class);
        assertThatThrownBy(() -> InboxPayload.decode(new byte[] {9})).isInstanceOf(InboxPayload.CorruptPayloadException.class);
    }
}
