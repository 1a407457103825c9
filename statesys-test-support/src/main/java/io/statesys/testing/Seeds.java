package io.statesys.testing;

import java.util.stream.LongStream;

/**
 * Seeds for generated test cases (JUnit parameterized tests named {@code "seed {0}"}): a failure
 * names its seed, and {@code -Dstatesys.seed=N} runs that one case alone.
 */
public final class Seeds {
    private Seeds() {
    }

    public static LongStream of(int count, long base) {
        String one = System.getProperty("statesys.seed");
        return one != null ? LongStream.of(Long.parseLong(one)) : LongStream.range(0, count).map(i -> base + i);
    }
}
