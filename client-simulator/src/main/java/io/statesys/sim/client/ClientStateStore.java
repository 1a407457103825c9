package io.statesys.sim.client;

import io.statesys.core.codec.ReportReader;
import io.statesys.core.codec.ReportWriter;
import io.statesys.core.codec.XmlEncoding;
import io.statesys.core.report.Machine;
import io.statesys.core.report.Report;
import io.statesys.core.report.StateMessage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Where a client's state survives a restart. */
public interface ClientStateStore {
    ClientState load(UUID client);

    void save(UUID client, ClientState state);

    /** Keeps state in memory only (thousands of simulated clients). */
    static ClientStateStore inMemory() {
        return new ClientStateStore() {
            private final java.util.Map<UUID, ClientState> states = new java.util.concurrent.ConcurrentHashMap<>();

            @Override
            public ClientState load(UUID client) {
                return states.computeIfAbsent(client, c -> new ClientState(0));
            }

            @Override
            public void save(UUID client, ClientState state) {
                states.put(client, state);
            }
        };
    }

    /**
     * Persists each client in a directory: its cache and its unsent messages as report documents
     * (the same codec the server reads), its last serial as text. Written via a temp file and an
     * atomic move, so a crash leaves the old state or the new, never half of one.
     */
    static ClientStateStore inDirectory(Path dir) {
        return new ClientStateStore() {
            @Override
            public ClientState load(UUID client) {
                try {
                    Path serial = dir.resolve(client + ".serial");
                    if (!Files.exists(serial)) {
                        return new ClientState(0);
                    }
                    Path keys = dir.resolve(client + ".keys");
                    ClientState s = Files.exists(keys)
                            ? new ClientState(Long.parseLong(Files.readString(serial).trim()), ClientKeys.decode(Files.readString(keys)),
                                    Files.exists(dir.resolve(client + ".registered")))
                            : new ClientState(Long.parseLong(Files.readString(serial).trim()));
                    for (StateMessage m : read(dir.resolve(client + ".cache.xml"))) {
                        s.cache().put(m.topic(), m);
                    }
                    s.unsent().addAll(read(dir.resolve(client + ".unsent.xml")));
                    return s;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }

            @Override
            public void save(UUID client, ClientState state) {
                try {
                    Files.createDirectories(dir);
                    write(dir.resolve(client + ".cache.xml"), client, List.copyOf(state.cache().values()));
                    write(dir.resolve(client + ".unsent.xml"), client, state.unsent());
                    atomically(dir.resolve(client + ".keys"), ClientKeys.encode(state.keys()).getBytes(StandardCharsets.UTF_8));
                    if (state.registered()) {
                        atomically(dir.resolve(client + ".registered"), new byte[0]);
                    }
                    atomically(dir.resolve(client + ".serial"), Long.toString(state.lastSerial()).getBytes(StandardCharsets.UTF_8));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }

            private List<StateMessage> read(Path file) throws IOException {
                if (!Files.exists(file) || Files.size(file) == 0) {
                    return List.of();
                }
                return new ReportReader().read(Files.readAllBytes(file)).messages();
            }

            private void write(Path file, UUID client, List<StateMessage> messages) throws IOException {
                if (messages.isEmpty()) {
                    Files.deleteIfExists(file);
                    return;
                }
                Report r = Report.full(Machine.of(client, null), Instant.now(), messages);
                atomically(file, ReportWriter.write(r, XmlEncoding.UTF_8));
            }

            private void atomically(Path file, byte[] bytes) throws IOException {
                Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
                Files.write(tmp, bytes);
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
        };
    }
}
