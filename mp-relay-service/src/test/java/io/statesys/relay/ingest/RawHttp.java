package io.statesys.relay.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/** What the tests that speak HTTP over their own sockets share: reading an answer's head, waiting for a condition. */
public final class RawHttp {
    private RawHttp() {
    }

    /** The status line and headers of the next answer on the socket. */
    public static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        int c;
        while ((c = in.read()) != -1) {
            head.append((char) c);
            if (head.toString().endsWith("\r\n\r\n")) {
                break;
            }
        }
        return head.toString();
    }

    /** Waits up to 10 s for {@code condition}; the test fails past that. */
    public static void waitFor(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited 10 s").isLessThan(deadline);
            Thread.sleep(10);
        }
    }
}
