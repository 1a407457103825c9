package io.statesys.processor.loader;

import io.statesys.processor.serials.SerialTracker;
import io.vertx.mutiny.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** The serial-statistics rows of a chunk (one per client), in the column order of {@code LoaderStore.UPDATE_STATS}. */
final class StatsRows {
    private record Row(UUID client, long lowest, long highest, long messages, long duplicates, String netbiosName,
                       boolean resynced) {
    }

    private static final Columns<Row> COLUMNS = new Columns<Row>()
            .column(UUID.class, Row::client)
            .column(Long.class, Row::lowest)
            .column(Long.class, Row::highest)
            .column(Long.class, Row::messages)
            .column(Long.class, Row::duplicates)
            .column(String.class, Row::netbiosName)
            .column(Boolean.class, Row::resynced);

    private final List<Row> rows = new ArrayList<>();

    void add(UUID client, SerialTracker t, String netbiosName, boolean resynced) {
        rows.add(new Row(client, t.lowest(), t.highest(), t.messages(), t.duplicates(), netbiosName, resynced));
    }

    boolean isEmpty() {
        return rows.isEmpty();
    }

    Tuple tuple() {
        return COLUMNS.tuple(rows);
    }
}
