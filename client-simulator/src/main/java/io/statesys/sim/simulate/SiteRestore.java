package io.statesys.sim.simulate;

import io.statesys.core.report.StateMessage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The recovery drill's view of the run: the site's database was restored to {@code restoredTo} while
 * the clients kept sending, and the old site stopped taking reports at {@code oldSiteStopped}. The
 * restored site then holds exactly the deliveries answered by then, none of those sent after it to the
 * old site, and everything the new site took: a report is one transaction, committed between its
 * sending and its 202. A report in flight at the restore point may be on either side; the audit
 * accepts either (each such report of a client is tried both ways).
 * <p>
 * The drill script writes the two instants into a file as {@code restore-point=…} and
 * {@code old-site-stopped=…} (ISO-8601) while the simulator runs; they are read when the run audits.
 */
public record SiteRestore(Path marks, Duration settleTimeout) {
    /** Reports in flight at the restore point, per client, tried both ways: at most this many. */
    static final int MAX_IN_FLIGHT = 4;
    /** A report answered this shortly before a resync resend was sent may still wait in the inbox. */
    static final long OVERTAKE_WINDOW_MS = 10_000;

    public record Marks(Instant restoredTo, Instant oldSiteStopped) {
        /** What the restored site holds of one client's deliveries: one list per way the in-flight reports went. */
        List<List<AuditLedger.Delivery>> kept(List<AuditLedger.Delivery> deliveries) {
            long t = restoredTo.toEpochMilli();
            long stopped = oldSiteStopped.toEpochMilli();
            List<AuditLedger.Delivery> sure = new ArrayList<>();
            List<Integer> inFlight = new ArrayList<>();
            List<AuditLedger.Delivery> all = new ArrayList<>();
            for (AuditLedger.Delivery d : deliveries) {
                boolean before = d.answeredAt() <= t;
                boolean lost = d.sentAt() > t && d.answeredAt() < stopped;
                boolean newSite = d.answeredAt() >= stopped;
                if (before || newSite) {
                    all.add(d);
                } else if (!lost) {
                    inFlight.add(all.size());
                    all.add(d);
                }
            }
            List<List<AuditLedger.Delivery>> inOrder = new ArrayList<>();
            int n = Math.min(inFlight.size(), MAX_IN_FLIGHT);
            for (int mask = 0; mask < 1 << n; mask++) {
                List<AuditLedger.Delivery> way = new ArrayList<>();
                for (int i = 0; i < all.size(); i++) {
                    int k = inFlight.indexOf(i);
                    if (k < 0 || k >= n || (mask & 1 << k) != 0) {
                        way.add(all.get(i));
                    }
                }
                inOrder.add(way);
            }
            List<List<AuditLedger.Delivery>> ways = new ArrayList<>();
            for (List<AuditLedger.Delivery> way : inOrder) {
                ways.addAll(resyncOvertaking(way));
            }
            return ways;
        }

        /**
         * The loaders take a client's reports in arrival order, but two of them may be taken by two
         * loaders at once: a resend ending in resync-complete can be loaded before the report the
         * client sent just before it. Each of the (at most two) reports sent within
         * {@link #OVERTAKE_WINDOW_MS} before a resend may therefore come after it.
         */
        static List<List<AuditLedger.Delivery>> resyncOvertaking(List<AuditLedger.Delivery> way) {
            List<List<AuditLedger.Delivery>> ways = new ArrayList<>();
            ways.add(way);
            for (int r = 0; r < way.size(); r++) {
                AuditLedger.Delivery resend = way.get(r);
                if (resend.messages().stream().noneMatch(StateMessage::isResyncComplete)) {
                    continue;
                }
                List<List<AuditLedger.Delivery>> more = new ArrayList<>();
                for (List<AuditLedger.Delivery> w : ways) {
                    int at = w.indexOf(resend);
                    List<Integer> before = new ArrayList<>();
                    for (int i = at - 1; i >= 0 && before.size() < 2
                            && w.get(i).answeredAt() >= resend.sentAt() - OVERTAKE_WINDOW_MS; i--) {
                        before.add(i);
                    }
                    for (int mask = 1; mask < 1 << before.size(); mask++) {
                        List<AuditLedger.Delivery> moved = new ArrayList<>(w);
                        List<AuditLedger.Delivery> late = new ArrayList<>();
                        for (int k = before.size() - 1; k >= 0; k--) {
                            if ((mask & 1 << k) != 0) {
                                late.add(w.get(before.get(k)));
                            }
                        }
                        moved.removeAll(late);
                        moved.addAll(moved.indexOf(resend) + 1, late);
                        more.add(moved);
                    }
                }
                ways.addAll(more);
                if (ways.size() > 64) {
                    break;
                }
            }
            return ways;
        }
    }

    /** The marks the drill wrote; an error when the file does not say both (the restore did not happen). */
    public Marks read() throws IOException {
        Instant to = null;
        Instant stopped = null;
        for (String line : Files.readAllLines(marks)) {
            String[] kv = line.split("=", 2);
            if (kv.length == 2 && kv[0].trim().equals("restore-point")) {
                to = Instant.parse(kv[1].trim());
            } else if (kv.length == 2 && kv[0].trim().equals("old-site-stopped")) {
                stopped = Instant.parse(kv[1].trim());
            }
        }
        if (to == null || stopped == null) {
            throw new IOException(marks + " does not name both the restore point and when the old site stopped");
        }
        return new Marks(to, stopped);
    }

    static List<StateMessage> messages(List<AuditLedger.Delivery> deliveries, boolean unsignedOnly) {
        List<StateMessage> out = new ArrayList<>();
        for (AuditLedger.Delivery d : deliveries) {
            if (!unsignedOnly || d.unsigned()) {
                out.addAll(d.messages());
            }
        }
        return out;
    }
}
