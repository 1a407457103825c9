package io.statesys.core.inbox;

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
 * Version byte first, so the format can change without touching rows already queued.
 */
public final class InboxPayload {
    private static final int VERSION = 1;

    private InboxPayload() {
    }

    public static byte[] encode(List<StateMessage> messages) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(16 + messages.size() * 80);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            writeVarLong(out, messages.size());
            for (StateMessage m : messages) {
                writeVarLong(out, m.serialNumber());
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
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** @throws CorruptPayloadException when the bytes are not a payload this version can read */
    public static List<StateMessage> decode(byte[] payload) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload))) {
            int version = in.readUnsignedByte();
            if (version != VERSION) {
                throw new CorruptPayloadException("unknown inbox payload version " + version);
            }
            long count = readVarLong(in);
            if (count < 0 || count > payload.length) {
                throw new CorruptPayloadException("implausible message count " + count);
            }
            List<StateMessage> messages = new ArrayList<>((int) count);
            for (long i = 0; i < count; i++) {
                long serial = readVarLong(in);
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
                messages.add(new StateMessage(Instant.ofEpochSecond(seconds, micros * 1000), serial, topicType, topicId,
                        idType, stateId, criticality, params));
            }
            if (in.available() > 0) {
                throw new CorruptPayloadException(in.available() + " trailing bytes");
            }
            return messages;
        } catch (IOException | RuntimeException e) {
            if (e instanceof CorruptPayloadException c) {
                throw c;
            }
            throw new CorruptPayloadException("unreadable inbox payload: " + e);
        }
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
