package io.statesys.service.http;

/** Request headers the services send each other. */
public final class StatesysHeaders {
    /** Marks reports the fallback status point forwards, so the inbox knows where they came from. */
    public static final String SOURCE = "X-Statesys-Source";

    private StatesysHeaders() {
    }
}
