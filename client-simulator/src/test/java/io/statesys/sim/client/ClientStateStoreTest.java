package io.statesys.sim.client;

import io.statesys.core.report.StateMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class ClientStateStoreTest {

    @Test
    void aClientsCacheUnsentMessagesAndSerialSurviveARestart(@TempDir Path dir) {
        ClientStateStore store = ClientStateStore.inDirectory(dir);
        UUID client = UUID.randomUUID();
        ClientState s = store.load(client);
        StateMessage a = new StateMessage(Instant.parse("2026-11-24T10:00:00Z"), s.nextSerial(), 500, "kb1", 3, 2, 0, List.of("102"));
        StateMessage b = new StateMessage(Instant.parse("2026-11-24T10:05:00Z"), s.nextSerial(), 402, "kb1", 3, 10, 0, List.of());
        s.cache().put(a.topic(), a);
        s.cache().put(b.topic(), b);
        s.unsent().add(b);
        store.save(client, s);

        ClientState restarted = ClientStateStore.inDirectory(dir).load(client);

        assertThat(restarted.lastSerial()).isEqualTo(2);
        assertThat(restarted.cache().values()).containsExactly(a, b);
        assertThat(restarted.unsent()).containsExactly(b);
        assertThat(restarted.nextSerial()).isEqualTo(3);
    }

    @Test
    void anUnknownClientStartsFromSerialZero(@TempDir Path dir) {
        assertThat(ClientStateStore.inDirectory(dir).load(UUID.randomUUID()).lastSerial()).isZero();
    }
}
