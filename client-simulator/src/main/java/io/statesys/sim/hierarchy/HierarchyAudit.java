package io.statesys.sim.hierarchy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Proves a site hierarchy exact: a parent holds, for each child, exactly the rows the child processed —
 * every replicated table, every column, compared row by row — so that the parent's data is the union
 * of its children's. Replication is asynchronous: {@link #await} compares until equal or the timeout.
 */
public final class HierarchyAudit {
    /** The replicated tables, each dumped whole (row as text) for one site, in key order. */
    static final Map<String, String> DUMPS = new LinkedHashMap<>();

    static {
        DUMPS.put("client_message_stats", "SELECT t::text FROM client_message_stats t WHERE site_code = ? ORDER BY client_id");
        DUMPS.put("topic_state", "SELECT t::text FROM topic_state t WHERE site_code = ? ORDER BY client_id, topic_type, topic_id");
        DUMPS.put("missing_range", "SELECT t::text FROM missing_range t WHERE site_code = ? ORDER BY client_id, first_serial");
        DUMPS.put("resync_request", "SELECT t::text FROM resync_request t WHERE site_code = ? ORDER BY id");
    }

    /** A child site: its code and its database. */
    public record Child(String siteCode, String jdbc) {
    }

    /** {@code rows}: per child, the rows compared (all tables); {@code differences}: empty when exact. */
    public record Result(boolean exact, Map<String, Long> rows, List<String> differences) {
    }

    private HierarchyAudit() {
    }

    public static Result compare(String parentJdbc, List<Child> children, String user, String password) throws SQLException {
        Map<String, Long> rows = new LinkedHashMap<>();
        List<String> differences = new ArrayList<>();
        try (Connection parent = DriverManager.getConnection(parentJdbc, user, password)) {
            for (Child child : children) {
                long n = 0;
                try (Connection c = DriverManager.getConnection(child.jdbc(), user, password)) {
                    for (Map.Entry<String, String> d : DUMPS.entrySet()) {
                        List<String> here = dump(c, d.getValue(), child.siteCode());
                        List<String> there = dump(parent, d.getValue(), child.siteCode());
                        n += here.size();
                        if (!here.equals(there)) {
                            differences.add(describe(child.siteCode(), d.getKey(), here, there));
                        }
                    }
                }
                rows.put(child.siteCode(), n);
            }
        }
        return new Result(differences.isEmpty(), rows, differences);
    }

    /** Compares until exact (then returns at once) or until the timeout (then returns the last differences). */
    public static Result await(String parentJdbc, List<Child> children, String user, String password, Duration timeout)
            throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Result r = compare(parentJdbc, children, user, password);
            if (r.exact() || System.nanoTime() > deadline) {
                return r;
            }
            Thread.sleep(250);
        }
    }

    private static List<String> dump(Connection c, String sql, String site) throws SQLException {
        List<String> out = new ArrayList<>();
        try (var ps = c.prepareStatement(sql)) {
            ps.setString(1, site);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    private static String describe(String site, String table, List<String> here, List<String> there) {
        int i = 0;
        while (i < here.size() && i < there.size() && here.get(i).equals(there.get(i))) {
            i++;
        }
        String first = i < here.size() ? here.get(i) : i < there.size() ? "(extra at parent) " + there.get(i) : "?";
        return site + "." + table + ": " + here.size() + " rows at the site, " + there.size() + " at the parent; first difference: " + first;
    }
}
