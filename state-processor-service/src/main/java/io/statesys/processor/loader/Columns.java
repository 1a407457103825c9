package io.statesys.processor.loader;

import io.vertx.mutiny.sqlclient.Tuple;

import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Rows handed to a set-based statement ({@code unnest($1::uuid[], $2::int[], …)}) as one array per
 * column: each column is declared once, by its element type and how a row gives its value.
 */
final class Columns<R> {
    private record Column<R>(Class<?> type, Function<R, ?> value) {
    }

    private final List<Column<R>> columns = new ArrayList<>();

    <T> Columns<R> column(Class<T> type, Function<R, T> value) {
        columns.add(new Column<>(type, value));
        return this;
    }

    Tuple tuple(List<R> rows) {
        Tuple t = Tuple.tuple();
        for (Column<R> c : columns) {
            Object array = Array.newInstance(c.type(), rows.size());
            for (int i = 0; i < rows.size(); i++) {
                Array.set(array, i, c.value().apply(rows.get(i)));
            }
            t.addValue(array);
        }
        return t;
    }
}
