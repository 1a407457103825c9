package io.statesys.sim.simulate;

import io.statesys.core.report.StateMessage;

import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Proves a run exact: for every client, what the database holds equals what the ledger says was
 * delivered — serial statistics (messages, duplicates, lowest/highest, messages without a serial), missing ranges equal to
 * the gaps the lost messages left, and the latest state of every topic. Any difference is listed
 * and makes the run FAILED.
 */
public final class Audit {
    static final String STATS = """
            SELECT client_id, lowest_serial, highest_serial, messages, duplicates, serial_less
            FROM client_message_stats WHERE client_id = ANY(?)""";
    static final String RANGES = """
            SELECT client_id, first_serial, last_serial FROM missing_range
            WHERE client_id = ANY(?) ORDER BY client_id, first_serial""";
    static final String STATES = """
            SELECT client_id, topic_type, topic_id, state_id, serial_number FROM topic_state
            WHERE client_id = ANY(?)""";

    /** {@code processed}: the messages the database counts for these clients (equal to {@code messages} when exact). */
    public record Result(boolean exact, int clients, long messages, long processed, long problemsFound, List<String> problems) {
    }

    private Audit() {
    }

    public static Result run(String jdbc, String user, String password, AuditLedger ledger) throws Exception {
        return run(jdbc, user, password, ledger, null, Map.of());
    }

    /**
     * {@code restore}: the site was restored to a point in time during the run (the recovery drill):
     * each client's expected data is what the restored site kept of its deliveries (see
     * {@link SiteRestore}), and {@code caches}, each client's own latest message per topic, must all
     * be in the database — nothing a client holds may be lost, even what the restore took away.
     */
    public static Result run(String jdbc, String user, String password, AuditLedger ledger, SiteRestore.Marks restore,
                             Map<UUID, List<StateMessage>> caches) throws Exception {
        List<UUID> clients = new ArrayList<>(ledger.arrivals.keySet());
        Map<UUID, long[]> stats = new HashMap<>();
        Map<UUID, List<List<Long>>> ranges = new HashMap<>();
        Map<UUID, Map<String, long[]>> states = new HashMap<>();
        try (Connection c = DriverManager.getConnection(jdbc, user, password)) {
            Array ids = c.createArrayOf("uuid", clients.toArray());
            try (PreparedStatement ps = c.prepareStatement(STATS)) {
                ps.setArray(1, ids);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        stats.put((UUID) rs.getObject(1), new long[] {rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5), rs.getLong(6)});
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement(RANGES)) {
                ps.setArray(1, ids);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ranges.computeIfAbsent((UUID) rs.getObject(1), k -> new ArrayList<>()).add(List.of(rs.getLong(2), rs.getLong(3)));
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement(STATES)) {
                ps.setArray(1, ids);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        states.computeIfAbsent((UUID) rs.getObject(1), k -> new HashMap<>())
                                .put(rs.getInt(2) + "/" + rs.getString(3), new long[] {rs.getInt(4), serialOrNone(rs, 5)});
                    }
                }
            }
        }
        List<String> problems = new ArrayList<>();
        long found = 0;
        long messages = 0;
        found += spoofs(jdbc, user, password, ledger, problems);
        for (UUID client : clients) {
            List<StateMessage> arrived = ledger.arrivals.get(client);
            List<String> p;
            if (restore == null) {
                p = check(client, arrived, ledger.unsignedArrivals.getOrDefault(client, List.of()), stats.get(client),
                        ranges.getOrDefault(client, List.of()), states.getOrDefault(client, Map.of()),
                        ledger.uncertain.getOrDefault(client, new long[2]));
            } else {
                p = null;
                for (List<AuditLedger.Delivery> way : restore.kept(ledger.deliveries.getOrDefault(client, List.of()))) {
                    List<StateMessage> kept = SiteRestore.messages(way, false);
                    List<String> q = check(client, kept, SiteRestore.messages(way, true), stats.get(client),
                            ranges.getOrDefault(client, List.of()), states.getOrDefault(client, Map.of()),
                            ledger.uncertain.getOrDefault(client, new long[2]));
                    if (p == null || q.isEmpty()) {
                        p = q;
                        arrived = kept;
                    }
                    if (q.isEmpty()) {
                        break;
                    }
                }
                p = new ArrayList<>(p);
                if (!p.isEmpty() && Boolean.getBoolean("statesys.audit.explain")) {
                    StringBuilder b = new StringBuilder(client + ": deliveries (serials, sent/answered ms from T, from S):");
                    for (AuditLedger.Delivery d : ledger.deliveries.getOrDefault(client, List.of())) {
                        b.append(String.format(" [%s..%s %d/%d %d/%d]", serialOf(d.messages().get(0)), serialOf(d.messages().get(d.messages().size() - 1)),
                                d.sentAt() - restore.restoredTo().toEpochMilli(), d.answeredAt() - restore.restoredTo().toEpochMilli(),
                                d.sentAt() - restore.oldSiteStopped().toEpochMilli(), d.answeredAt() - restore.oldSiteStopped().toEpochMilli()));
                    }
                    b.append(" stats ").append(java.util.Arrays.toString(stats.get(client))).append(" ranges ").append(ranges.get(client));
                    p.add(b.toString());
                }
                p.addAll(held(client, caches.getOrDefault(client, List.of()), states.getOrDefault(client, Map.of())));
            }
            messages += arrived.size();
            found += p.size();
            for (String s : p) {
                if (problems.size() < 20) {
                    problems.add(s);
                }
            }
        }
        long processed = stats.values().stream().mapToLong(st -> st[2] + st[4]).sum(); // with serial + without
        return new Result(found == 0, clients.size(), messages, processed, found, problems);
    }

    /**
     * Every spoofed report must have been refused (401/403), and none of their states may be in
     * the database: the spoofers named topics no real client has ("spoofed-by-…").
     */
    static long spoofs(String jdbc, String user, String password, AuditLedger ledger, List<String> problems) throws Exception {
        long found = 0;
        long sent = ledger.spoofsSent.get();
        if (sent != ledger.spoofsRefused.get()) {
            found++;
            problems.add("spoofed reports: " + sent + " sent, only " + ledger.spoofsRefused.get() + " refused (answers " + ledger.spoofAnswers + ")");
        }
        if (sent > 0) {
            try (Connection c = DriverManager.getConnection(jdbc, user, password);
                 PreparedStatement ps = c.prepareStatement(SPOOFED_STATES);
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (rs.getLong(1) > 0) {
                    found++;
                    problems.add("spoofed reports changed state: " + rs.getLong(1) + " latest states from spoofers in topic_state");
                }
            }
        }
        return found;
    }

    /** Every message the client holds as its latest of a topic is the database's latest state of it. */
    static List<String> held(UUID client, List<StateMessage> cache, Map<String, long[]> states) {
        List<String> p = new ArrayList<>();
        for (StateMessage m : cache) {
            long[] stored = states.get(m.topicType() + "/" + m.topicId());
            if (stored == null || stored[0] != m.stateId() || stored[1] != serialOf(m)) {
                p.add(client + ": holds topic " + m.topicType() + "/" + m.topicId() + " in state " + m.stateId() + " (serial "
                        + serialOf(m) + "), the site " + (stored == null ? "has no state for it" : "has " + stored[0] + " (serial " + stored[1] + ")"));
            }
        }
        return p;
    }

    static final String SPOOFED_STATES = "SELECT count(*) FROM topic_state WHERE topic_id LIKE 'spoofed-by-%'";

    private static long serialOrNone(ResultSet rs, int column) throws java.sql.SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? NONE : v;
    }

    /** Stands for "no serial number" (serials are never negative), as in the stored statistics. */
    static final long NONE = -1;

    static long serialOf(StateMessage m) {
        return m.hasSerial() ? m.serialNumber() : NONE;
    }

    /**
     * The server's newest-wins rule: later MessageTime; at equal times a message with a serial
     * beats one without, then the higher serial; of two serial-less ones the later arrival.
     */
    static StateMessage newer(StateMessage a, StateMessage b) {
        int byTime = a.messageTime().compareTo(b.messageTime());
        if (byTime != 0) {
            return byTime > 0 ? a : b;
        }
        if (!a.hasSerial() && !b.hasSerial()) {
            return b;
        }
        return serialOf(a) >= serialOf(b) ? a : b;
    }

    static List<String> check(UUID client, List<StateMessage> arrived, long[] stats, List<List<Long>> ranges, Map<String, long[]> states) {
        return check(client, arrived, List.of(), stats, ranges, states, new long[2]);
    }

    static List<String> check(UUID client, List<StateMessage> arrived, long[] stats, List<List<Long>> ranges, Map<String, long[]> states,
                              long[] uncertain) {
        return check(client, arrived, List.of(), stats, ranges, states, uncertain);
    }

    /**
     * {@code uncertain}: messages with and without a serial this client sent without getting an
     * answer. Each may have been committed before the answer was lost and then delivered again,
     * so the server may rightly count up to that many more duplicates (or serial-less messages);
     * nothing else may differ.
     * <p>
     * {@code unsigned}: the deliveries among {@code arrived} (the same objects) that were sent
     * unsigned. The server loads them as nobody's word: without their serials (each counted among
     * the messages without one, never a duplicate), and a topic's latest state is a signed message's
     * whenever one arrived, an unsigned one's only otherwise.
     */
    static List<String> check(UUID client, List<StateMessage> arrived, List<StateMessage> unsigned, long[] stats,
                              List<List<Long>> ranges, Map<String, long[]> states, long[] uncertain) {
        List<String> p = new ArrayList<>();
        TreeSet<Long> received = new TreeSet<>();
        Map<String, StateMessage> latest = new HashMap<>();
        Map<String, StateMessage> latestUnsigned = new HashMap<>();
        Map<StateMessage, Integer> unsignedLeft = new java.util.IdentityHashMap<>();
        for (StateMessage m : unsigned) {
            unsignedLeft.merge(m, 1, Integer::sum);
        }
        long duplicates = 0;
        long serialLess = 0;
        long resyncedAt = NONE;
        for (StateMessage m : arrived) {
            Integer left = unsignedLeft.get(m);
            if (left != null && left > 0) {
                // in arrival order: a message sent unsigned and later again signed is unsigned the first time
                unsignedLeft.put(m, left - 1);
                serialLess++;
                latestUnsigned.merge(m.topicType() + "/" + m.topicId(), m.withoutSerialNumber(), Audit::newer);
                continue;
            }
            if (!m.hasSerial()) {
                serialLess++; // never a duplicate: nothing tells two deliveries of it apart
            } else if (received.contains(m.serialNumber())
                    || m.serialNumber() < resyncedAt && m.serialNumber() > received.first()) {
                // a completed resync counts everything below it as received: a report of the client's
                // older serials that the loader takes after it adds only duplicates
                duplicates++;
                continue;
            } else if (!received.add(m.serialNumber())) {
                throw new AssertionError();
            } else if (m.isResyncComplete()) {
                resyncedAt = Math.max(resyncedAt, m.serialNumber());
            }
            latest.merge(m.topicType() + "/" + m.topicId(), m, Audit::newer);
        }
        latestUnsigned.forEach(latest::putIfAbsent);
        if (stats == null) {
            p.add(client + ": no serial statistics, " + arrived.size() + " messages delivered");
            return p;
        }
        check(p, client, "lowest serial", received.isEmpty() ? NONE : received.first(), stats[0]);
        check(p, client, "highest serial", received.isEmpty() ? NONE : received.last(), stats[1]);
        check(p, client, "messages", received.size(), stats[2]);
        checkUpTo(p, client, "duplicates", duplicates, uncertain[0], stats[3]);
        checkUpTo(p, client, "messages without serial", serialLess, uncertain[1], stats[4]);
        List<List<Long>> gaps = new ArrayList<>();
        long prev = received.isEmpty() ? NONE : received.first();
        for (long s : received.isEmpty() ? List.<Long>of() : received.tailSet(received.first(), false)) {
            if (s > prev + 1) {
                gaps.add(List.of(prev + 1, s - 1));
            }
            prev = s;
        }
        // a completed resync supersedes every gap below it: the client resent its whole cache
        final long resynced = resyncedAt;
        gaps.removeIf(g -> g.get(1) < resynced);
        if (!gaps.equals(ranges)) {
            p.add(client + ": missing ranges " + ranges + ", expected " + gaps);
        }
        for (Map.Entry<String, StateMessage> e : latest.entrySet()) {
            long[] stored = states.get(e.getKey());
            if (stored == null) {
                p.add(client + ": topic " + e.getKey() + " has no state");
            } else if (stored[0] != e.getValue().stateId() || stored[1] != serialOf(e.getValue())) {
                p.add(client + ": topic " + e.getKey() + " state " + stored[0] + " (serial " + stored[1] + "), expected "
                        + e.getValue().stateId() + " (serial " + serialOf(e.getValue()) + ")");
            }
        }
        if (states.size() != latest.size()) {
            p.add(client + ": " + states.size() + " topics stored, " + latest.size() + " delivered");
        }
        return p;
    }

    /** {@code actual} within [expected, expected + uncertain]. */
    private static void checkUpTo(List<String> p, UUID client, String what, long expected, long uncertain, long actual) {
        if (actual < expected || actual > expected + uncertain) {
            p.add(client + ": " + what + " " + actual + ", expected " + expected
                    + (uncertain > 0 ? " to " + (expected + uncertain) + " (" + uncertain + " sent without an answer)" : ""));
        }
    }

    private static void check(List<String> p, UUID client, String what, long expected, long actual) {
        if (expected != actual) {
            p.add(client + ": " + what + " " + actual + ", expected " + expected);
        }
    }
}
