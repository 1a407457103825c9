package io.statesys.testing;

import io.statesys.core.codec.ReportWriter;
import io.statesys.core.codec.XmlEncoding;
import io.statesys.core.report.Machine;
import io.statesys.core.report.Report;
import io.statesys.core.report.StateMessage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Realistic reports for tests: a software-update client's detection and enforcement messages. */
public final class Reports {
    public static final String CONTRACT_CLIENT = "GUID:2B6C1D4E-7A0F-4C55-9E1B-0F3C2A9D8E71";

    private final UUID client;
    private final List<StateMessage> messages = new ArrayList<>();

    private Reports(UUID client) {
        this.client = client;
    }

    public static Reports forClient(UUID client) {
        return new Reports(client);
    }

    public static Reports forNewClient() {
        return new Reports(UUID.randomUUID());
    }

    /** The example report of docs/api.md, as text (declares UTF-16). */
    public static String contractExample() {
        return resource("reports/contract-example.xml");
    }

    public static String resource(String name) {
        try (InputStream in = Reports.class.getClassLoader().getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The text re-encoded as UTF-16LE with BOM, as real clients send. */
    public static byte[] utf16(String xml) {
        byte[] body = xml.getBytes(StandardCharsets.UTF_16LE);
        byte[] out = new byte[body.length + 2];
        out[0] = (byte) 0xFF;
        out[1] = (byte) 0xFE;
        System.arraycopy(body, 0, out, 2, body.length);
        return out;
    }

    /** Update detection (topic type 500) for one update: 2 = required, 3 = installed. */
    public Reports detection(long serial, String updateId, int state, Instant at) {
        messages.add(new StateMessage(at, serial, 500, updateId, 3, state, 0, List.of("102")));
        return this;
    }

    /** Update enforcement (topic type 402): 10 = successfully installed, 11 = failed. */
    public Reports enforcement(long serial, String updateId, int state, Instant at) {
        messages.add(new StateMessage(at, serial, 402, updateId, 3, state, 0, List.of()));
        return this;
    }

    public Reports message(StateMessage m) {
        messages.add(m);
        return this;
    }

    /** The resync-complete message (700/2) a client sends after resending its cache. */
    public Reports resyncComplete(long serial, Instant at) {
        messages.add(new StateMessage(at, serial, 700, "resync", 0, 2, 0, List.of()));
        return this;
    }

    /** Serials first..last, each a detection of its own update (state required). */
    public Reports detections(long first, long last, Instant at) {
        for (long s = first; s <= last; s++) {
            detection(s, updateId(s), 2, at);
        }
        return this;
    }

    public static String updateId(long n) {
        return new UUID(0x21e49ac6a2734a61L, n).toString();
    }

    public UUID client() {
        return client;
    }

    public Report report() {
        return Report.full(Machine.of(client, "WKS-" + client.toString().substring(0, 4).toUpperCase()), Instant.now(), messages);
    }

    public byte[] utf16() {
        return ReportWriter.write(report(), XmlEncoding.UTF_16LE);
    }

    public byte[] utf8() {
        return ReportWriter.write(report(), XmlEncoding.UTF_8);
    }
}
