package io.statesys.sim.bench;

import io.statesys.core.codec.ReportWriter;
import io.statesys.core.codec.XmlEncoding;
import io.statesys.core.report.Machine;
import io.statesys.core.report.Report;
import io.statesys.core.report.StateDetails;
import io.statesys.core.report.StateMessage;
import io.statesys.core.report.TopicTypes;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Reports for benchmarks: update detection (500) and enforcement (402) messages, numbered per client. */
public final class SyntheticReports {
    private SyntheticReports() {
    }

    public static String updateId(int n) {
        return new UUID(0x21e49ac6a2734a61L, n).toString();
    }

    /** {@code count} messages for one client starting at {@code firstSerial}, cycling over {@code topics} updates. */
    public static List<StateMessage> messages(long firstSerial, int count, int topics, Instant at) {
        List<StateMessage> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long serial = firstSerial + i;
            int update = (int) (serial % topics);
            boolean enforcement = (serial / topics) % 2 == 1;
            out.add(enforcement
                    ? new StateMessage(at.plusMillis(i), serial, 402, updateId(update), 3, 10, 0, List.of())
                    : new StateMessage(at.plusMillis(i), serial, 500, updateId(update), 3, 2, 0, List.of("102")));
        }
        return out;
    }

    /** A script (CMPivot) result without serial number, its output a StateDetails of {@code chars} base64 characters. */
    public static StateMessage scriptResult(Instant at, int chars) {
        StringBuilder b64 = new StringBuilder(chars);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for (int i = 0; i < chars; i++) {
            b64.append(alphabet.charAt((i * 31 + i / 7) & 63));
        }
        return new StateMessage(at, null, TopicTypes.SCRIPT_RESULT, new UUID(0x9003L, 1).toString(), 0, 1, 0, List.of(),
                new StateDetails(1, b64.toString()));
    }

    public static byte[] utf16(UUID client, List<StateMessage> messages) {
        Report r = Report.full(Machine.of(client, "WKS-" + client.toString().substring(0, 6).toUpperCase()), Instant.now(), messages);
        return ReportWriter.write(r, XmlEncoding.UTF_16LE);
    }
}
