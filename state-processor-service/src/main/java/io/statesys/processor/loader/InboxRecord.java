package io.statesys.processor.loader;

import io.vertx.mutiny.sqlclient.Row;

import java.time.OffsetDateTime;
import java.util.UUID;

/** One claimed inbox row: a report as the relay committed it ({@code unsigned}: forwarded by the FSP without a client signature). */
record InboxRecord(long id, UUID clientId, String netbiosName, OffsetDateTime receivedAt, int attempts,
                   int messageCount, byte[] payload, boolean unsigned) {
    static InboxRecord of(Row r) {
        return new InboxRecord(r.getLong("id"), r.getUUID("client_id"), r.getString("netbios_name"),
                r.getOffsetDateTime("received_at"), r.getInteger("attempts"), r.getInteger("message_count"),
                r.getBuffer("payload").getBytes(), Boolean.TRUE.equals(r.getBoolean("unsigned")));
    }
}
