package io.statesys.processor.loader;

import io.statesys.processor.serials.MissingRange;
import io.vertx.mutiny.sqlclient.Tuple;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The missing ranges of the clients whose ranges changed in a chunk: those clients' ranges are
 * replaced whole (a client whose last gap closed has a replacement of no rows).
 */
final class RangeRows {
    private record Row(UUID client, MissingRange range) {
    }

    private static final Columns<Row> COLUMNS = new Columns<Row>()
            .column(UUID.class, Row::client)
            .column(Long.class, r -> r.range().first())
            .column(Long.class, r -> r.range().last())
            .column(OffsetDateTime.class, r -> r.range().detectedAt().atOffset(ZoneOffset.UTC));

    private final List<UUID> clients = new ArrayList<>();
    private final List<Row> rows = new ArrayList<>();

    void replace(UUID client, List<MissingRange> ranges) {
        clients.add(client);
        for (MissingRange r : ranges) {
            rows.add(new Row(client, r));
        }
    }

    UUID[] clients() {
        return clients.toArray(new UUID[0]);
    }

    boolean isEmpty() {
        return rows.isEmpty();
    }

    Tuple tuple() {
        return COLUMNS.tuple(rows);
    }
}
