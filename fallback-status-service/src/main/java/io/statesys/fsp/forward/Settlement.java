package io.statesys.fsp.forward;

import io.vertx.mutiny.sqlclient.SqlConnection;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What a round's settle does to the rows it leased, gathered per fate and per table (queued
 * messages, signed reports) and written with one statement each: answered rows are deleted (the
 * relay took them, or refused them and they went to dead letters), the relay's busy ones are due
 * again after its Retry-After, the rest are retried with back-off.
 */
final class Settlement {
    enum Fate { ANSWERED, BUSY, RETRY }

    private final Map<Fate, List<Long>> queued = new EnumMap<>(Fate.class);
    private final Map<Fate, List<Long>> signed = new EnumMap<>(Fate.class);

    Settlement() {
        for (Fate f : Fate.values()) {
            queued.put(f, new ArrayList<>());
            signed.put(f, new ArrayList<>());
        }
    }

    List<Long> queued(Fate fate) {
        return queued.get(fate);
    }

    List<Long> signed(Fate fate) {
        return signed.get(fate);
    }

    void write(ForwardStore store, SqlConnection conn, String lastError, Duration busyFor) {
        store.delete(conn, ids(queued, Fate.ANSWERED));
        store.deleteSigned(conn, ids(signed, Fate.ANSWERED));
        store.retryLater(conn, ids(queued, Fate.RETRY), lastError);
        store.retrySignedLater(conn, ids(signed, Fate.RETRY), lastError);
        store.dueAgainAfter(conn, ids(queued, Fate.BUSY), ids(signed, Fate.BUSY), busyFor);
    }

    private static Long[] ids(Map<Fate, List<Long>> table, Fate fate) {
        return table.get(fate).toArray(new Long[0]);
    }
}
