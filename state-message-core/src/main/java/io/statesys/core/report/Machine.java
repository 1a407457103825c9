package io.statesys.core.report;

import java.util.Objects;
import java.util.UUID;

/**
 * The report header's identification of the sender. Only {@code clientId} is required.
 * Site systems (a pull distribution point) send {@code ClientInstalled 0} and a bare-UUID
 * {@code ClientID} with {@code IDType}/{@code IDFlag} attributes; {@code priority} is the header's
 * last child ({@code Priority}, 0 and 5 seen; null when absent, which means 0).
 */
public record Machine(UUID clientId, String netbiosName, String clientVersion, Integer codePage, Integer systemDefaultLcid,
                      Integer clientInstalled, Integer clientType, Integer idType, Integer idFlag, Integer priority) {
    public Machine {
        Objects.requireNonNull(clientId, "clientId");
    }

    /** An installed client's header ({@code ClientInstalled 1}, {@code ClientType 1}), without priority. */
    public Machine(UUID clientId, String netbiosName, String clientVersion, Integer codePage, Integer systemDefaultLcid) {
        this(clientId, netbiosName, clientVersion, codePage, systemDefaultLcid, 1, 1, null, null, null);
    }

    public static Machine of(UUID clientId, String netbiosName) {
        return new Machine(clientId, netbiosName, "5.00.9128.1000", 437, 1033);
    }

    /** The priority the loader orders by: 0 unless the sender said otherwise. */
    public int effectivePriority() {
        return priority == null ? 0 : priority;
    }

    public Machine withPriority(Integer p) {
        return new Machine(clientId, netbiosName, clientVersion, codePage, systemDefaultLcid, clientInstalled, clientType, idType, idFlag, p);
    }

    /** What the client view shows of the sender (everything but the name, kept in its own column). */
    public Sender sender() {
        return new Sender(clientVersion, clientInstalled, clientType, idType, idFlag);
    }
}
