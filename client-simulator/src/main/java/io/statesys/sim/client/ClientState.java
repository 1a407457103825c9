package io.statesys.sim.client;

import io.statesys.core.report.StateMessage;
import io.statesys.core.report.TopicKey;

import java.security.KeyPair;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a Configuration Manager client keeps across restarts (WMI's CCM_StateMsg and
 * CCM_StateMsg_SerialNum): the latest message per (topic type, topic id), the messages not yet
 * sent, the last serial number used, and its key pair and whether the site has registered it.
 */
public final class ClientState {
    private final Map<TopicKey, StateMessage> cache = new LinkedHashMap<>();
    private final List<StateMessage> unsent = new ArrayList<>();
    private final KeyPair keys;
    private long lastSerial;
    private boolean registered;

    /** A new client: no serial used yet, a new key pair. */
    public ClientState(long lastSerial) {
        this(lastSerial, ClientKeys.generate(), false);
    }

    public ClientState(long lastSerial, KeyPair keys, boolean registered) {
        this.lastSerial = lastSerial;
        this.keys = keys;
        this.registered = registered;
    }

    /** The client's own key pair; its public key is what it registers. */
    public KeyPair keys() {
        return keys;
    }

    /** Whether the site has its key (from then on it signs everything). */
    public boolean registered() {
        return registered;
    }

    public void registered(boolean registered) {
        this.registered = registered;
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
