package io.statesys.processor.loader;

/** What one committed chunk did; {@code claimed == 0} means the inbox had nothing ready. */
public record ChunkResult(int claimed, long processed, long duplicates, long invalid, long gapsOpened, long gapsClosed) {
    public static final ChunkResult NOTHING = new ChunkResult(0, 0, 0, 0, 0, 0);
}
