package io.statesys.sim.client;

import io.statesys.core.report.StateMessage;
import io.statesys.core.report.TopicKey;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a Configuration Manager client keeps across restarts (WMI's CCM_StateMsg and
 * CCM_StateMsg_SerialNum): the latest message per (topic type, topic id), the messages not yet
 * sent, and the last serial number used.
 */
public final class ClientState {
    private final Map<TopicKey, StateMessage> cache = new LinkedHashMap<>();
    private final List<StateMessage> unsent = new ArrayList<>();
    private long lastSerial;

    public ClientState(long lastSerial) {
        this.lastSerial = lastSerial;
    }

    public long nextSerial() {
        return ++lastSerial;
    }

    public long lastSerial() {
        return lastSerial;
    }

    public Map<TopicKey, StateMessage> cache() {
        return cache;
    }

    public List<StateMessage> unsent() {
        return unsent;
    }
}
