package io.statesys.processor.loader;

import io.statesys.processor.serials.SerialTracker;
import io.vertx.mutiny.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** The serial-statistics rows of a chunk (one per client), handed to the update as one array per column. */
final class StatsRows {
    private record Row(UUID client, long lowest, long highest, long messages, long duplicates, String netbiosName,
                       boolean resynced) {
    }

    private final List<Row> rows = new ArrayList<>();

    void add(UUID client, SerialTracker t, String netbiosName, boolean resynced) {
        rows.add(new Row(client, t.lowest(), t.highest(), t.messages(), t.duplicates(), netbiosName, resynced));
    }

    boolean isEmpty() {
        return rows.isEmpty();
    }

    Tuple tuple() {
        int n = rows.size();
        UUID[] client = new UUID[n];
        Long[] lowest = new Long[n];
        Long[] highest = new Long[n];
        Long[] messages = new Long[n];
        Long[] duplicates = new Long[n];
        String[] name = new String[n];
        Boolean[] resynced = new Boolean[n];
        for (int i = 0; i < n; i++) {
            Row r = rows.get(i);
            client[i] = r.client();
            lowest[i] = r.lowest();
            highest[i] = r.highest();
            messages[i] = r.messages();
            duplicates[i] = r.duplicates();
            name[i] = r.netbiosName();
            resynced[i] = r.resynced();
        }
        return Tuple.tuple().addValue(client).addValue(lowest).addValue(highest).addValue(messages)
                .addValue(duplicates).addValue(name).addValue(resynced);
    }
}
