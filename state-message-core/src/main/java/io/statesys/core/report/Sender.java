package io.statesys.core.report;

/**
 * How a sender described itself in the report header: enough to tell a site system (a pull
 * distribution point sends {@code ClientInstalled 0} and {@code IDType}/{@code IDFlag} on its
 * bare-UUID {@code ClientID}) from a client. Every field may be absent (null).
 */
public record Sender(String clientVersion, Integer clientInstalled, Integer clientType, Integer idType, Integer idFlag) {
    public static final Sender UNKNOWN = new Sender(null, null, null, null, null);

    /** A site system, not a client: it says so with {@code ClientInstalled 0}. */
    public boolean isSiteSystem() {
        return clientInstalled != null && clientInstalled == 0;
    }
}
