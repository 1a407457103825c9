package io.statesys.core.inbox;

import io.statesys.core.report.Sender;
import io.statesys.core.report.StateDetails;
import io.statesys.core.report.StateMessage;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The compact column an inbox row keeps its messages in: one row per report, messages packed as
 * varints and length-prefixed UTF-8 (about 60 bytes per typical message, against ~600 bytes of
 * UTF-16 XML). The relay writes it after validation; the loader reads it back without any XML.
 * Version byte first, so the format can change without touching rows already queued. A
 * StateDetails string is written once into a buffer sized for it, and read back with one copy.
 */
public final class InboxPayload {
    /** v1: serial always present, no sender, no StateDetails. Still read: rows queued before v2. */
    private static final int V1 = 1;
    /** v2: the sender's header fields, then per message a flags byte (serial? StateDetails?). */
    private static final int V2 = 2;
    private static final int HAS_SERIAL = 1;
    private static final int HAS_DETAILS = 2;

    private InboxPayload() {
    }

    /** What a payload holds: how the sender described itself, and its messages in report order. */
    public record Contents(Sender sender, List<StateMessage> messages) {
    }

    public static byte[] encode(List<StateMessage> messages) {
        return encode(Sender.UNKNOWN, messages);
    }

    public static byte[] encode(Sender sender, List<StateMessage> messages) {
        int estimate = 32 + messages.size() * 80;
        for (StateMessage m : messages) {
            if (m.stateDetails() != null) {
                estimate += m.stateDetails().data().length() + 8; // sized once, so large details are not re-copied as it grows
            }
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(estimate);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(V2);
            writeSender(out, sender);
            writeVarLong(out, messages.size());
            for (StateMessage m : messages) {
                out.writeByte((m.hasSerial() ? HAS_SERIAL : 0) | (m.stateDetails() != null ? HAS_DETAILS : 0));
                if (m.hasSerial()) {
                    writeVarLong(out, m.serialNumber());
                }
                Instant t = m.messageTime();
                writeVarLong(out, zigzag(t.getEpochSecond()));
                writeVarLong(out, t.getNano() / 1000);
                writeVarLong(out, zigzag(m.topicType()));
                writeString(out, m.topicId());
                writeVarLong(out, zigzag(m.idType()));
                writeVarLong(out, zigzag(m.stateId()));
                writeVarLong(out, zigzag(m.criticality()));
                writeVarLong(out, m.userParameters().size());
                for (String p : m.userParameters()) {
                    writeString(out, p);
                }
                if (m.stateDetails() != null) {
                    writeVarLong(out, zigzag(m.stateDetails().type()));
                    writeString(out, m.stateDetails().data());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** The messages alone. @throws CorruptPayloadException when the bytes are not a payload this version can read */
    public static List<StateMessage> decode(byte[] payload) {
        return read(payload).messages();
    }

    /** @throws CorruptPayloadException when the bytes are not a payload this version can read */
    public static Contents read(byte[] payload) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload))) {
            int version = in.readUnsignedByte();
            if (version != V1 && version != V2) {
                throw new CorruptPayloadException("unknown inbox payload version " + version);
            }
            Sender sender = version == V2 ? readSender(in) : Sender.UNKNOWN;
            long count = readVarLong(in);
            if (count < 0 || count > payload.length) {
                throw new CorruptPayloadException("implausible message count " + count);
            }
            List<StateMessage> messages = new ArrayList<>((int) count);
            for (long i = 0; i < count; i++) {
                int flags = version == V1 ? HAS_SERIAL : in.readUnsignedByte();
                Long serial = (flags & HAS_SERIAL) != 0 ? readVarLong(in) : null;
                long seconds = unzigzag(readVarLong(in));
                long micros = readVarLong(in);
                int topicType = (int) unzigzag(readVarLong(in));
                String topicId = readString(in);
                int idType = (int) unzigzag(readVarLong(in));
                int stateId = (int) unzigzag(readVarLong(in));
                int criticality = (int) unzigzag(readVarLong(in));
                long nParams = readVarLong(in);
                if (nParams < 0 || nParams > payload.length) {
                    throw new CorruptPayloadException("implausible parameter count " + nParams);
                }
                List<String> params = new ArrayList<>((int) nParams);
                for (long p = 0; p < nParams; p++) {
                    params.add(readString(in));
                }
                StateDetails details = null;
                if ((flags & HAS_DETAILS) != 0) {
                    int type = (int) unzigzag(readVarLong(in));
                    details = new StateDetails(type, readString(in));
                }
                messages.add(new StateMessage(Instant.ofEpochSecond(seconds, micros * 1000), serial, topicType, topicId,
                        idType, stateId, criticality, params, details));
            }
            if (in.available() > 0) {
                throw new CorruptPayloadException(in.available() + " trailing bytes");
            }
            return new Contents(sender, messages);
        } catch (IOException | RuntimeException e) {
            if (e instanceof CorruptPayloadException c) {
                throw c;
            }
            throw new CorruptPayloadException("unreadable inbox payload: " + e);
        }
    }

    private static void writeSender(DataOutputStream out, Sender s) throws IOException {
        Integer[] ints = {s.clientInstalled(), s.clientType(), s.idType(), s.idFlag()};
        int present = s.clientVersion() != null ? 1 : 0;
        for (int i = 0; i < ints.length; i++) {
            present |= ints[i] != null ? 2 << i : 0;
        }
        out.writeByte(present);
        if (s.clientVersion() != null) {
            writeString(out, s.clientVersion());
        }
        for (Integer v : ints) {
            if (v != null) {
                writeVarLong(out, zigzag(v));
            }
        }
    }

    private static Sender readSender(DataInputStream in) throws IOException {
        int present = in.readUnsignedByte();
        String version = (present & 1) != 0 ? readString(in) : null;
        Integer[] ints = new Integer[4];
        for (int i = 0; i < ints.length; i++) {
            ints[i] = (present & (2 << i)) != 0 ? (int) unzigzag(readVarLong(in)) : null;
        }
        return new Sender(version, ints[0], ints[1], ints[2], ints[3]);
    }

    private static long zigzag(long v) {
        return (v << 1) ^ (v >> 63);
    }

    private static long unzigzag(long v) {
        return (v >>> 1) ^ -(v & 1);
    }

    private static void writeVarLong(DataOutputStream out, long v) throws IOException {
        while ((v & ~0x7FL) != 0) {
            out.writeByte((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.writeByte((int) v);
    }

    private static long readVarLong(DataInputStream in) throws IOException {
        long result = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = in.readUnsignedByte();
            result |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return result;
            }
        }
        throw new CorruptPayloadException("varint too long");
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        writeVarLong(out, b.length);
        out.write(b);
    }

    private static String readString(DataInputStream in) throws IOException {
        long len = readVarLong(in);
        if (len < 0 || len > in.available()) {
            throw new CorruptPayloadException("string length " + len + " beyond the payload");
        }
        byte[] b = new byte[(int) len];
        in.readFully(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    /** A payload that can never be read: the loader sends its row to invalid records. */
    public static class CorruptPayloadException extends RuntimeException {
        public CorruptPayloadException(String message) {
            super(message);
        }
    }
}
