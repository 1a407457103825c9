package io.statesys.core.codec;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BodyDecoderTest {

    @Test
    void inflatesGzipBodies() throws IOException {
        byte[] xml = "<Report/>".getBytes(StandardCharsets.UTF_8);
        assertThat(BodyDecoder.decode(gzip(xml), "gzip", 1024)).isEqualTo(xml);
    }

    @Test
    void stopsAGzipBombAtTheLimitInsteadOfInflatingIt() throws IOException {
        byte[] bomb = gzip(new byte[64 * 1024 * 1024]); // 64 MiB of zeros, ~64 KiB compressed
        assertThat(bomb.length).isLessThan(200 * 1024);
        long before = usedHeap();
        assertThatThrownBy(() -> BodyDecoder.decode(bomb, "gzip", 4L * 1024 * 1024))
                .isInstanceOf(ReportTooLargeException.class);
        assertThat(usedHeap() - before).isLessThan(48L * 1024 * 1024);
    }

    @Test
    void refusesPlainBodiesOverTheLimit() {
        assertThatThrownBy(() -> BodyDecoder.decode(new byte[11], null, 10)).isInstanceOf(ReportTooLargeException.class);
    }

    @Test
    void refusesCorruptGzip() {
        assertThatThrownBy(() -> BodyDecoder.decode(new byte[] {31, -117, 8, 0, 1, 2}, "gzip", 100))
                .isInstanceOf(InvalidReportException.class);
    }

    @Test
    void refusesUnknownContentEncodings() {
        assertThatThrownBy(() -> BodyDecoder.decode(new byte[1], "br", 100))
                .isInstanceOf(BodyDecoder.UnsupportedContentEncodingException.class);
    }

    private static long usedHeap() {
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }

    static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }
}
