package io.statesys.sim.simulate;

import io.statesys.core.report.StateMessage;
import io.statesys.core.report.TopicTypes;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What a site restored to a point in time holds of a client's deliveries, and the resync rules the audit applies. */
class SiteRestoreAuditTest {
    private static final UUID CLIENT = UUID.fromString("2b6c1d4e-7a0f-4c55-9e1b-0f3c2a9d8e71");
    private static final Instant T = Instant.parse("2026-12-07T10:00:00Z");
    private static final Instant STOPPED = T.plusSeconds(10);
    private static final SiteRestore.Marks MARKS = new SiteRestore.Marks(T, STOPPED);

    private static StateMessage m(long serial) {
        return new StateMessage(T.plusSeconds(serial), serial, 500, "u" + serial, 3, 2, 0, List.of());
    }

    private static StateMessage resyncComplete(long serial) {
        return new StateMessage(T.plusSeconds(serial), serial, TopicTypes.RESYNC, "resync", 0, TopicTypes.RESYNC_COMPLETE_STATE, 0, List.of());
    }

    /** A delivery sent and answered at these offsets from T, in milliseconds. */
    private static AuditLedger.Delivery d(long sent, long answered, StateMessage... messages) {
        return new AuditLedger.Delivery(T.toEpochMilli() + sent, T.toEpochMilli() + answered, List.of(messages), false);
    }

    private static List<Long> serials(List<AuditLedger.Delivery> way) {
        List<Long> out = new ArrayList<>();
        SiteRestore.messages(way, false).forEach(x -> out.add(x.serialNumber()));
        return out;
    }

    @Test
    void theRestoredSiteKeepsWhatWasAnsweredBeforeTheRestorePointAndEverythingTheNewSiteTook() {
        List<AuditLedger.Delivery> deliveries = List.of(
                d(-5_000, -4_990, m(1)),        // answered before T: kept
                d(2_000, 2_010, m(2)),          // sent after T to the old site: lost with it
                d(12_000, 12_050, m(3)));       // taken by the restored site
        assertThat(MARKS.kept(deliveries)).singleElement().extracting(SiteRestoreAuditTest::serials).isEqualTo(List.of(1L, 3L));
    }

    @Test
    void aReportInFlightAtTheRestorePointMayBeOnEitherSide() {
        List<AuditLedger.Delivery> deliveries = List.of(d(-5_000, -4_990, m(1)), d(-10, 20, m(2)), d(12_000, 12_050, m(3)));
        assertThat(MARKS.kept(deliveries)).extracting(SiteRestoreAuditTest::serials)
                .containsExactlyInAnyOrder(List.of(1L, 3L), List.of(1L, 2L, 3L));
    }

    @Test
    void aReportSentJustBeforeAResyncResendMayBeLoadedAfterIt() {
        List<AuditLedger.Delivery> deliveries = List.of(d(-5_000, -4_990, m(1)), d(12_000, 12_050, m(4)),
                d(12_060, 12_100, m(5), resyncComplete(6)));
        assertThat(MARKS.kept(deliveries)).extracting(SiteRestoreAuditTest::serials)
                .containsExactlyInAnyOrder(List.of(1L, 4L, 5L, 6L), List.of(1L, 5L, 6L, 4L));
    }

    @Test
    void aCompletedResyncSupersedesTheGapsBelowItAndMakesLaterOlderSerialsDuplicates() {
        // 1 kept, 2-3 lost by the restore, 4 sent after it (gap 2-3), the resend 5-6 (resync complete at 6)
        Map<String, long[]> states = Map.of("500/u1", new long[] {2, 1}, "500/u4", new long[] {2, 4}, "500/u5", new long[] {2, 5},
                "700/resync", new long[] {2, 6});
        List<StateMessage> inOrder = List.of(m(1), m(4), m(5), resyncComplete(6));
        assertThat(Audit.check(CLIENT, inOrder, new long[] {1, 6, 4, 0, 0}, List.of(), states)).isEmpty();
        assertThat(Audit.check(CLIENT, inOrder, new long[] {1, 6, 4, 0, 0}, List.of(List.of(2L, 3L)), states))
                .singleElement().asString().contains("missing ranges");
        // 4 loaded after the resend: below the completed resync, so a duplicate, and its state not applied
        List<StateMessage> overtaken = List.of(m(1), m(5), resyncComplete(6), m(4));
        Map<String, long[]> without4 = Map.of("500/u1", new long[] {2, 1}, "500/u5", new long[] {2, 5}, "700/resync", new long[] {2, 6});
        assertThat(Audit.check(CLIENT, overtaken, new long[] {1, 6, 3, 1, 0}, List.of(), without4)).isEmpty();
    }

    @Test
    void everyStateAClientHoldsMustBeAtTheSite() {
        Map<String, long[]> states = Map.of("500/u1", new long[] {2, 1});
        assertThat(Audit.held(CLIENT, List.of(m(1)), states)).isEmpty();
        assertThat(Audit.held(CLIENT, List.of(m(1), m(7)), states)).singleElement().asString()
                .contains("holds topic 500/u7 in state 2 (serial 7), the site has no state for it");
    }

    @Test
    void theMarksFileMustNameBothInstants(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path marks = dir.resolve("marks");
        Files.writeString(marks, "restore-point=2026-12-07T10:00:00.250Z\n");
        SiteRestore restore = new SiteRestore(marks, java.time.Duration.ofMinutes(1));
        assertThatThrownBy(restore::read).hasMessageContaining("does not name both");
        Files.writeString(marks, "old-site-stopped=2026-12-07T10:00:30Z\n", java.nio.file.StandardOpenOption.APPEND);
        assertThat(restore.read()).isEqualTo(new SiteRestore.Marks(Instant.parse("2026-12-07T10:00:00.250Z"), Instant.parse("2026-12-07T10:00:30Z")));
    }
}
