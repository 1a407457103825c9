package io.statesys.processor.loader;

import java.util.List;

/** A chunk failed after its claim: the claimed inbox ids travel with the cause, for the retry bookkeeping. */
final class ChunkFailedException extends RuntimeException {
    private final List<Long> claimed;

    ChunkFailedException(List<Long> claimed, Throwable cause) {
        super(cause);
        this.claimed = List.copyOf(claimed);
    }

    List<Long> claimed() {
        return claimed;
    }
}
