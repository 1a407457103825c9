package io.statesys.processor.inbox;

import io.smallrye.mutiny.Uni;
import io.statesys.schema.InboxDepth;
import io.statesys.testing.MigratedDatabase;
import io.vertx.mutiny.sqlclient.Row;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The backlog every status page shows is read from the inbox's tally and the head of its
 * received_at index (V28), and must say exactly what reading the whole inbox would.
 */
class InboxDepthTest {
    private static MigratedDatabase db;

    @BeforeAll
    static void migrate() {
        db = MigratedDatabase.create();
    }

    @AfterAll
    static void drop() {
        db.close();
    }

    @BeforeEach
    void emptyInbox() {
        db.sql("DELETE FROM inbox");
    }

    private static String insert(int reports, int messagesEach, String receivedAt) {
        return """
                INSERT INTO inbox (client_id, message_count, payload, received_at)
                SELECT gen_random_uuid(), %d, '\\x00', %s FROM generate_series(1, %d)""".formatted(messagesEach, receivedAt, reports);
    }

    private static Row depth() {
        return db.pool().query(InboxDepth.SELECT).execute().await().indefinitely().iterator().next();
    }

    private static Row counted() {
        return db.pool().query("SELECT count(*) AS reports, coalesce(sum(message_count), 0) AS messages FROM inbox")
                .execute().await().indefinitely().iterator().next();
    }

    @Test
    void theTallyAgreesWithTheInboxAfterConcurrentInsertsAndDeletesOnSeveralConnections() {
        List<Uni<io.vertx.mutiny.sqlclient.RowSet<Row>>> writes = new ArrayList<>();
        for (int i = 1; i <= 40; i++) {
            writes.add(db.pool().query(insert(i, i % 7 + 1, "now()")).execute());
        }
        Uni.join().all(writes).andFailFast().await().indefinitely();
        List<Uni<io.vertx.mutiny.sqlclient.RowSet<Row>>> deletes = new ArrayList<>();
        for (int k = 0; k < 5; k++) {
            deletes.add(db.pool().query("DELETE FROM inbox WHERE id % 5 = " + k + " AND id % 3 = 0").execute());
        }
        Uni.join().all(deletes).andFailFast().await().indefinitely();

        Row tally = depth();
        Row truth = counted();
        assertThat(truth.getLong("reports")).isBetween(500L, 820L);
        assertThat(tally.getLong("reports")).isEqualTo(truth.getLong("reports"));
        assertThat(tally.getLong("messages")).isEqualTo(truth.getLong("messages"));
    }

    @Test
    void aRolledBackInsertLeavesTheTallyAsItWas() {
        db.sql(insert(3, 10, "now()"));
        db.pool().withTransaction(c -> c.query(insert(5, 10, "now()")).execute()
                .chain(() -> Uni.createFrom().failure(new IllegalStateException("rolled back"))))
                .onFailure().recoverWithNull().await().indefinitely();

        assertThat(depth().getLong("reports")).isEqualTo(3);
        assertThat(depth().getLong("messages")).isEqualTo(30);
    }

    @Test
    void truncatingTheInboxEmptiesTheTally() {
        db.sql(insert(4, 2, "now()"), "TRUNCATE inbox");

        assertThat(depth().getLong("reports")).isZero();
        assertThat(depth().getLong("messages")).isZero();
        assertThat(depth().getLong("oldest")).isZero();
    }

    @Test
    void theOldestAgeIsTheEarliestReceivedTimeEvenWhenThatReportArrivedLast() {
        db.sql(insert(10, 1, "now() - interval '30 seconds'"),
                // a report requeued from invalid records keeps the time it was first received
                insert(1, 1, "now() - interval '2 hours'"));

        assertThat(depth().getLong("oldest")).isBetween(7200L, 7202L);
    }
}
