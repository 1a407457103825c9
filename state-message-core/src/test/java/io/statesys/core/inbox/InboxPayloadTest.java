package io.statesys.core.inbox;

import io.statesys.core.report.Sender;
import io.statesys.core.report.StateDetails;
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
    void serialLessMessagesStateDetailsAndTheSenderSurviveTheCompactColumn() {
        String hundredKb = "QUJD".repeat(25_600);
        List<StateMessage> messages = List.of(
                new StateMessage(Instant.parse("2026-11-24T10:14:58Z"), null, 9003, "script-1", 0, 1, 0, List.of("a"),
                        new StateDetails(1, hundredKb)),
                new StateMessage(Instant.parse("2026-11-24T10:14:59Z"), 7L, 902, "PS100012", 0, 1, 0, List.of(),
                        new StateDetails(-3, "  verbatim \n")));
        Sender pullDp = new Sender("5.00.9128.1000", 0, 1, 0, 1);

        byte[] payload = InboxPayload.encode(pullDp, messages);

        assertThat(InboxPayload.read(payload)).isEqualTo(new InboxPayload.Contents(pullDp, messages));
        assertThat(payload.length).isLessThan(hundredKb.length() + 200);
    }

    /** Rows queued by a relay of the previous version stay readable after an upgrade. */
    @Test
    void aVersionOnePayloadIsStillRead() {
        byte[] v1 = {1, 1, (byte) 0x93, 0x08, 4, 0, (byte) 0xe8, 0x07, 1, 'x', 6, 4, 0, 1, 3, '1', '0', '2'};
        List<StateMessage> expected = List.of(new StateMessage(Instant.ofEpochSecond(2), 1043, 500, "x", 3, 2, 0, List.of("102")));

        InboxPayload.Contents c = InboxPayload.read(v1);

        assertThat(c.messages()).isEqualTo(expected);
        assertThat(c.sender()).isEqualTo(Sender.UNKNOWN);
    }

    @Test
    void truncatedPayloadsAreReportedAsCorrupt() {
        byte[] p = InboxPayload.encode(List.of(new StateMessage(Instant.now(), 1, 500, "x", 3, 2, 0, List.of())));
        byte[] cut = java.util.Arrays.copyOf(p, p.length - 2);
        assertThatThrownBy(() -> InboxPayload.decode(cut)).isInstanceOf(InboxPayload.CorruptPayloadException.class);
        assertThatThrownBy(() -> InboxPayload.decode(new byte[] {9})).isInstanceOf(InboxPayload.CorruptPayloadException.class);
    }
}
