package io.statesys.core.codec;

import io.statesys.core.report.Machine;
import io.statesys.core.report.Report;
import io.statesys.core.report.StateDetails;
import io.statesys.core.report.StateMessage;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

class ReportRoundTripTest {
    private static final int[] TOPIC_TYPES = {300, 301, 302, 400, 401, 402, 500, 501, 700, 800, 9003, -1};
    private static final String ALNUM = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    /** Characters that must be escaped or encoded, and some outside Latin-1. */
    private static final String TOPIC_CHARS = ALNUM + "-_{}.&<>\"' é漢";
    private static final String PARAM_CHARS = ALNUM + " &<>";
    /** StateDetails are kept verbatim: spaces at either end, markup characters and a CDATA terminator included. */
    private static final String DETAILS_CHARS = ALNUM + " \t\n&<>]]>+/=漢";

    private final ReportReader reader = new ReportReader();

    /**
     * 300 seeded reports, each written in every encoding (900 cases, more than the 300 tries the
     * property had); a failure names its seed, and {@code -Dstatesys.seed=N} runs that one alone.
     */
    static LongStream seeds() {
        String one = System.getProperty("statesys.seed");
        return one != null ? LongStream.of(Long.parseLong(one)) : LongStream.range(0, 300).map(i -> 0xC0DECL * 17 + i);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void whatTheWriterWritesTheReaderReadsBack(long seed) {
        Report report = report(new Random(seed));
        for (XmlEncoding encoding : XmlEncoding.values()) {
            assertThat(reader.read(ReportWriter.write(report, encoding))).as("%s, seed %d", encoding, seed).isEqualTo(report);
        }
    }

    static Report report(Random r) {
        boolean siteSystem = r.nextInt(5) == 0; // a pull DP: ClientInstalled 0, bare UUID with IDType/IDFlag
        Machine machine = new Machine(new UUID(r.nextLong(), r.nextLong()),
                r.nextInt(10) == 0 ? null : text(r, ALNUM + "-", 1, 15),
                "5.00.9128.1000",
                r.nextInt(5) == 0 ? null : new int[] {437, 850, 1252}[r.nextInt(3)],
                r.nextInt(5) == 0 ? null : new int[] {1033, 1031}[r.nextInt(2)],
                siteSystem ? 0 : 1, 1, siteSystem ? 0 : null, siteSystem ? 1 : null,
                r.nextInt(3) == 0 ? new int[] {0, 5, Report.MAX_PRIORITY}[r.nextInt(3)] : null);
        int n = 1 + r.nextInt(30);
        List<StateMessage> messages = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            messages.add(message(r));
        }
        return new Report(machine, "Full", r.nextInt(5) == 0 ? null : time(r), messages);
    }

    private static StateMessage message(Random r) {
        String topicId;
        do {
            topicId = text(r, TOPIC_CHARS, 1, 64);
        } while (topicId.isBlank());
        int params = r.nextInt(5);
        List<String> userParameters = new ArrayList<>(params);
        for (int i = 0; i < params; i++) {
            String p;
            do {
                p = text(r, PARAM_CHARS, 0, 20);
            } while (!p.equals(p.trim()));
            userParameters.add(p);
        }
        Long serial = switch (r.nextInt(10)) {
            case 0 -> 0L;
            case 1 -> Long.MAX_VALUE;
            case 2 -> null; // a script result or an FSP message: no SerialNumber
            default -> r.nextLong() & Long.MAX_VALUE;
        };
        StateDetails details = switch (r.nextInt(6)) {
            case 0 -> new StateDetails(1, text(r, DETAILS_CHARS, 0, 3000));
            case 1 -> new StateDetails(r.nextInt(), Base64.getEncoder().encodeToString(
                    ("<r v=\"" + text(r, ALNUM, 0, 200) + "\"/>").getBytes(StandardCharsets.UTF_16LE)));
            default -> null;
        };
        return new StateMessage(time(r), serial, TOPIC_TYPES[r.nextInt(TOPIC_TYPES.length)], topicId,
                r.nextInt(601), r.nextInt(), r.nextInt(6), userParameters, details);
    }

    /** Any instant from 1970 to 2100, to the microsecond (what the CIM and ISO forms carry). */
    private static Instant time(Random r) {
        long micros = Math.floorMod(r.nextLong(), 4_102_444_800L * 1_000_000L);
        return Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
    }

    private static String text(Random r, String alphabet, int min, int max) {
        int n = min + r.nextInt(max - min + 1);
        StringBuilder s = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            s.append(alphabet.charAt(r.nextInt(alphabet.length())));
        }
        return s.toString();
    }
}
