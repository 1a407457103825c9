package io.statesys.processor.loader;

import io.statesys.core.report.StateMessage;
import io.vertx.mutiny.sqlclient.Tuple;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** The latest-state rows of a chunk, handed to the upsert as one array per column. */
final class StateRows {
    private record Row(UUID client, StateMessage message, String paramsJson) {
    }

    private final List<Row> rows = new ArrayList<>();

    void add(UUID client, StateMessage message, String paramsJson) {
        rows.add(new Row(client, message, paramsJson));
    }

    boolean isEmpty() {
        return rows.isEmpty();
    }

    Tuple tuple() {
        int n = rows.size();
        UUID[] client = new UUID[n];
        Integer[] type = new Integer[n];
        String[] topic = new String[n];
        Integer[] idType = new Integer[n];
        Integer[] state = new Integer[n];
        Integer[] criticality = new Integer[n];
        OffsetDateTime[] time = new OffsetDateTime[n];
        Long[] serial = new Long[n];
        String[] params = new String[n];
        for (int i = 0; i < n; i++) {
            Row r = rows.get(i);
            StateMessage m = r.message();
            client[i] = r.client();
            type[i] = m.topicType();
            topic[i] = m.topicId();
            idType[i] = m.idType();
            state[i] = m.stateId();
            criticality[i] = m.criticality();
            time[i] = m.messageTime().atOffset(ZoneOffset.UTC);
            serial[i] = m.serialNumber();
            params[i] = r.paramsJson();
        }
        return Tuple.tuple().addValue(client).addValue(type).addValue(topic).addValue(idType).addValue(state)
                .addValue(criticality).addValue(time).addValue(serial).addValue(params);
    }
}
