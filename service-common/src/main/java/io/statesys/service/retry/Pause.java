package io.statesys.service.retry;

/** Sleeping on a worker thread that may be told to stop. */
public final class Pause {
    private Pause() {
    }

    /** Sleeps; false (with the interrupt flag set again) when the thread was interrupted. */
    public static boolean millis(long ms) {
        if (ms <= 0) {
            return true;
        }
        try {
            Thread.sleep(ms);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
