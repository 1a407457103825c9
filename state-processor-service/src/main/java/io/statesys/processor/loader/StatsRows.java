package io.statesys.processor.loader;

import io.statesys.core.report.Sender;
import io.statesys.processor.serials.SerialTracker;
import io.vertx.mutiny.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** The serial-statistics rows of a chunk (one per client), in the column order of {@code LoaderStore.UPDATE_STATS}. */
final class StatsRows {
    private record Row(UUID client, long lowest, long highest, long messages, long duplicates, String netbiosName,
                       boolean resynced, long serialLess, Sender sender, boolean seen) {
    }

    private static final Columns<Row> COLUMNS = new Columns<Row>()
            .column(UUID.class, Row::client)
            .column(Long.class, Row::lowest)
            .column(Long.class, Row::highest)
            .column(Long.class, Row::messages)
            .column(Long.class, Row::duplicates)
            .column(String.class, Row::netbiosName)
            .column(Boolean.class, Row::resynced)
            .column(Long.class, Row::serialLess)
            .column(String.class, r -> r.sender().clientVersion())
            .column(Integer.class, r -> r.sender().clientInstalled())
            .column(Integer.class, r -> r.sender().clientType())
            .column(Integer.class, r -> r.sender().idType())
            .column(Integer.class, r -> r.sender().idFlag())
            .column(Boolean.class, Row::seen);

    private final List<Row> rows = new ArrayList<>();

    /**
     * {@code serialLess}: the chunk's messages without a serial number, added to the client's count;
     * {@code seen}: the chunk held something new the client vouched for, so its last-seen time moves
     * (a replay of duplicates, or unsigned reports in a registered client's name, do not move it).
     */
    void add(UUID client, SerialTracker t, String netbiosName, boolean resynced, long serialLess, Sender sender, boolean seen) {
        rows.add(new Row(client, t.lowest(), t.highest(), t.messages(), t.duplicates(), netbiosName, resynced, serialLess,
                sender == null ? Sender.UNKNOWN : sender, seen));
    }

    boolean isEmpty() {
        return rows.isEmpty();
    }

    Tuple tuple() {
        return COLUMNS.tuple(rows);
    }
}
