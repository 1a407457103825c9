package io.statesys.processor.loader;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.statesys.core.report.StateMessage;
import io.statesys.processor.InboxFixture;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

@QuarkusTest
@TestProfile(RunningLoaders.class)
class ConcurrentLoadersTest {
    private static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");

    @Inject
    InboxFixture inbox;

    @Test
    void aReportIsLoadedWithinMomentsOfItsCommitThanksToNotify() {
        UUID client = UUID.randomUUID();
        inbox.put(client, List.of(InboxFixture.detection(1, "kb1", 2, T0)));
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (inbox.state(client, 500, "kb1") == null && System.nanoTime() < deadline) {
            sleep(20);
        }
        assertThat(inbox.state(client, 500, "kb1")).as("loaded long before the 900 s poll").isNotNull();
    }

    @Test
    void tenThousandReportsWithReorderDuplicatesAndGapsGiveExactlyTheModelsResult() {
        Random random = new Random(20261125L);
        int clients = 100;
        int serialsPerClient = 300;
        int topics = 20;
        List<UUID> ids = new ArrayList<>();
        Map<UUID, Model> models = new HashMap<>();
        List<Map.Entry<UUID, List<StateMessage>>> reports = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            UUID id = UUID.randomUUID();
            ids.add(id);
            Model model = new Model();
            models.put(id, model);
            List<StateMessage> pending = new ArrayList<>();
            for (long s = 1; s <= serialsPerClient; s++) {
                if (random.nextDouble() < 0.05) {
                    continue; // dropped: never sent, leaves a gap
                }
                pending.add(new StateMessage(T0.plusSeconds(s), s, 500, "kb" + (s % topics), 3, (int) (s % 4), 0, List.of()));
                if (pending.size() >= 1 + random.nextInt(5)) {
                    reports.add(Map.entry(id, pending));
                    pending = new ArrayList<>();
                }
            }
            if (!pending.isEmpty()) {
                reports.add(Map.entry(id, pending));
            }
        }
        int originals = reports.size();
        for (int i = 0; i < originals; i++) {
            if (random.nextDouble() < 0.05) {
                reports.add(reports.get(random.nextInt(originals))); // resent: duplicates
            }
        }
        Collections.shuffle(reports, random); // reorder across reports and clients
        for (Map.Entry<UUID, List<StateMessage>> r : reports) {
            models.get(r.getKey()).arrive(r.getValue());
        }
        assertThat(reports.size()).isGreaterThan(10_000);

        for (Map.Entry<UUID, List<StateMessage>> r : reports) {
            inbox.put(r.getKey(), r.getValue());
        }
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (inbox.count("SELECT count(*) FROM inbox WHERE client_id = ANY($1)", (Object) ids.toArray(new UUID[0])) > 0
                && System.nanoTime() < deadline) {
            sleep(100);
        }

        for (UUID id : ids) {
            Model m = models.get(id);
            Row stats = inbox.stats(id);
            assertThat(stats.getLong("highest_serial")).isEqualTo(m.received.last());
            assertThat(stats.getLong("lowest_serial")).isEqualTo(m.received.first());
            assertThat(stats.getLong("messages")).isEqualTo(m.received.size());
            assertThat(stats.getLong("duplicates")).as("duplicates of %s", id).isEqualTo(m.duplicates);
            assertThat(inbox.ranges(id)).as("ranges of %s", id).containsExactlyElementsOf(m.ranges());
            Map<String, Long> latest = new HashMap<>();
            for (Row r : inbox.query("SELECT topic_id, serial_number FROM topic_state WHERE client_id = $1", Tuple.of(id))) {
                latest.put(r.getString(0), r.getLong(1));
            }
            assertThat(latest).isEqualTo(m.latest);
        }
    }

    /** The simple in-memory truth: a set of received serials. */
    private static final class Model {
        final TreeSet<Long> received = new TreeSet<>();
        final Map<String, Long> latest = new HashMap<>();
        long duplicates;

        void arrive(List<StateMessage> messages) {
            for (StateMessage m : messages) {
                if (!received.add(m.serialNumber())) {
                    duplicates++;
                } else {
                    latest.merge(m.topicId(), m.serialNumber(), Math::max);
                }
            }
        }

        List<long[]> ranges() {
            List<long[]> out = new ArrayList<>();
            long prev = received.first();
            for (long s : received.tailSet(received.first(), false)) {
                if (s > prev + 1) {
                    out.add(new long[] {prev + 1, s - 1});
                }
                prev = s;
            }
            return out;
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
