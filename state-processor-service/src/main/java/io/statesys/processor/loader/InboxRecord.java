package io.statesys.processor.loader;

import java.time.OffsetDateTime;
import java.util.UUID;

/** One claimed inbox row: a report as the relay committed it. */
record InboxRecord(long id, UUID clientId, String netbiosName, OffsetDateTime receivedAt, int attempts,
                   int messageCount, byte[] payload) {
}
