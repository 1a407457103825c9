package io.statesys.processor.serials;

import java.time.Instant;

/** Serial numbers {@code first..last} (inclusive) not received from a client, since {@code detectedAt}. */
public record MissingRange(long first, long last, Instant detectedAt) {
    public MissingRange {
        if (first > last) {
            throw new IllegalArgumentException("empty range " + first + ".." + last);
        }
    }

    public boolean contains(long serial) {
        return serial >= first && serial <= last;
    }

    public long size() {
        return last - first + 1;
    }
}
