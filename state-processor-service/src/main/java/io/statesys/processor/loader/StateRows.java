package io.statesys.processor.loader;

import io.statesys.core.report.StateMessage;
import io.vertx.mutiny.sqlclient.Tuple;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** The latest-state rows of a chunk, in the column order of {@code LoaderStore.UPSERT_STATE}. */
final class StateRows {
    private record Row(UUID client, StateMessage message, String paramsJson, boolean unsigned) {
    }

    private static final Columns<Row> COLUMNS = new Columns<Row>()
            .column(UUID.class, Row::client)
            .column(Integer.class, r -> r.message().topicType())
            .column(String.class, r -> r.message().topicId())
            .column(Integer.class, r -> r.message().idType())
            .column(Integer.class, r -> r.message().stateId())
            .column(Integer.class, r -> r.message().criticality())
            .column(OffsetDateTime.class, r -> r.message().messageTime().atOffset(ZoneOffset.UTC))
            .column(Long.class, r -> r.message().serialNumber())
            .column(String.class, Row::paramsJson)
            .column(Integer.class, r -> r.message().stateDetails() == null ? null : r.message().stateDetails().type())
            .column(String.class, r -> r.message().stateDetails() == null ? null : r.message().stateDetails().data())
            .column(Boolean.class, Row::unsigned);

    private final List<Row> rows = new ArrayList<>();

    void add(UUID client, StateMessage message, String paramsJson, boolean unsigned) {
        rows.add(new Row(client, message, paramsJson, unsigned));
    }

    boolean isEmpty() {
        return rows.isEmpty();
    }

    Tuple tuple() {
        return COLUMNS.tuple(rows);
    }
}
