package io.statesys.core.codec;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class ReportEncodingTest {
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6})
    void theWritersUtf16BytesAreTheJdksWithTheBomFirst(long seed) {
        String text = text(new Random(seed));

        assertThat(ReportWriter.encode(text, XmlEncoding.UTF_16LE))
                .isEqualTo(concat(new byte[] {(byte) 0xFF, (byte) 0xFE}, text.getBytes(StandardCharsets.UTF_16LE)));
        assertThat(ReportWriter.encode(text, XmlEncoding.UTF_16BE))
                .isEqualTo(concat(new byte[] {(byte) 0xFE, (byte) 0xFF}, text.getBytes(StandardCharsets.UTF_16BE)));
        assertThat(ReportWriter.encode(text, XmlEncoding.UTF_8)).isEqualTo(text.getBytes(StandardCharsets.UTF_8));
    }

    /** ASCII markup mixed with Latin, CJK and characters outside the BMP (surrogate pairs). */
    private static String text(Random random) {
        StringBuilder sb = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-16\"?>\n<Report>");
        int[] ranges = {0x20, 0x7E, 0xA0, 0x24F, 0x4E00, 0x9FFF, 0x1F600, 0x1F64F};
        for (int i = 0; i < 2_000; i++) {
            int r = random.nextInt(4) * 2;
            sb.appendCodePoint(ranges[r] + random.nextInt(ranges[r + 1] - ranges[r]));
        }
        return sb.append("</Report>").toString();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
