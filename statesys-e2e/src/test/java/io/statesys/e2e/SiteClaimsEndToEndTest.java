package io.statesys.e2e;

import org.junit.jupiter.api.parallel.ResourceLock;
import io.statesys.testing.SchemaMigrations;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A child site's database writes into its parent only the rows of its own subtree: rows it publishes
 * in the name of the parent or of a site that comes through another child are skipped at the parent
 * and counted. Two children and a parent on the hierarchy's three clusters, linked by hand as the
 * processor links them (the claims first, then the subscriptions), and a child's database used as an
 * attacker who holds it would.
 */
@ResourceLock(SiteClusters.LOCK)
class SiteClaimsEndToEndTest {
    private static final int CAS = SiteClusters.PORTS[0];
    private static final int PS1 = SiteClusters.PORTS[1];
    private static final int PS2 = SiteClusters.PORTS[2];
    private static String cas;
    private static String ps1;
    private static String ps2;

    @BeforeAll
    static void link() throws Exception {
        SiteClusters.ensureRunning();
        SiteClusters.dropTestDatabases();
        cas = migrated(CAS, "SC0");
        ps1 = migrated(PS1, "SC1");
        ps2 = migrated(PS2, "SC2");
        for (int port : new int[] {PS1, PS2}) {
            String db = port == PS1 ? ps1 : ps2;
            SiteClusters.sql(port, db, "GRANT SELECT ON site, topic_state, client_message_stats, missing_range, resync_request TO "
                    + SiteClusters.REPLICATOR);
        }
        // as SiteLinks does: each configured child's code claimed for its link before it subscribes. Site codes of
        // their own (SC0 over SC1 and SC2), so that no slot of scripts/hierarchy.sh's sites (CAS, PS1, PS2) is in the way
        SiteClusters.sql(CAS, cas, "INSERT INTO site_claim (site_code, via) VALUES ('SC1', 'SC1'), ('SC2', 'SC2')");
        SiteClusters.sql(CAS, cas, "CREATE SUBSCRIPTION statesys_up_sc1 CONNECTION '" + SiteClusters.connection(PS1, ps1) + "' PUBLICATION statesys_up");
        SiteClusters.sql(CAS, cas, "CREATE SUBSCRIPTION statesys_up_sc2 CONNECTION '" + SiteClusters.connection(PS2, ps2) + "' PUBLICATION statesys_up");
        await("both snapshots copied", () -> count(CAS, cas, "SELECT count(*) FROM site WHERE site_code IN ('SC1', 'SC2')") == 2);
    }

    @AfterAll
    static void drop() throws Exception {
        SiteClusters.dropTestDatabases();
    }

    @Test
    void aChildsRowsInTheNameOfItsSiblingOrOfTheParentAreSkippedAndCountedWhileItsOwnArrive() throws Exception {
        Map<String, Long> before = refusals("SC1");
        Map<String, Long> siblingBefore = refusals("SC2");
        UUID own = UUID.randomUUID();
        UUID siblings = UUID.randomUUID();
        UUID parents = UUID.randomUUID();
        state(PS2, ps2, siblings, "SC2", "kb-genuine");
        await("the sibling's genuine row", () -> count(CAS, cas, "SELECT count(*) FROM topic_state WHERE client_id = '" + siblings + "'") == 1);

        // PS1's database, in an attacker's hands: its own client, then rows claiming the sibling's and the parent's sites
        state(PS1, ps1, own, "SC1", "kb-1");
        state(PS1, ps1, siblings, "SC2", "kb-forged");
        state(PS1, ps1, parents, "SC0", "kb-forged");
        stats(PS1, ps1, siblings, "SC2");
        SiteClusters.sql(PS1, ps1, "INSERT INTO site (site_code, parent_code) VALUES ('SC0', 'SC1')");
        UUID marker = UUID.randomUUID();
        state(PS1, ps1, marker, "SC1", "kb-after");
        await("SC1's later row", () -> count(CAS, cas, "SELECT count(*) FROM topic_state WHERE client_id = '" + marker + "'") == 1);

        assertThat(count(CAS, cas, "SELECT count(*) FROM topic_state WHERE client_id = '" + own + "' AND site_code = 'SC1'")).isOne();
        assertThat(SiteClusters.column(CAS, cas, "SELECT topic_id FROM topic_state WHERE client_id = '" + siblings + "'"))
                .containsExactly("kb-genuine");
        assertThat(count(CAS, cas, "SELECT count(*) FROM topic_state WHERE client_id = '" + parents + "'")).isZero();
        assertThat(count(CAS, cas, "SELECT count(*) FROM client_message_stats WHERE client_id = '" + siblings + "'")).isZero();
        assertThat(count(CAS, cas, "SELECT count(*) FROM site WHERE site_code = 'SC0' AND parent_code IS NOT NULL")).isZero();
        assertThat(added(before, refusals("SC1"))).isEqualTo(Map.of(
                "SC0 site", 1L, "SC0 topic_state", 1L, "SC2 client_message_stats", 1L, "SC2 topic_state", 1L));
        assertThat(refusals("SC2")).as("the sibling's link, all genuine").isEqualTo(siblingBefore);
    }

    @Test
    void aChildCannotUpdateOrDeleteItsSiblingsRowsAtTheParent() throws Exception {
        Map<String, Long> before = refusals("SC1");
        UUID client = UUID.randomUUID();
        state(PS2, ps2, client, "SC2", "kb-2");
        await("the sibling's row", () -> count(CAS, cas, "SELECT count(*) FROM topic_state WHERE client_id = '" + client + "'") == 1);
        // the same row, key and all, at PS1 (PS1's database takes any foreign site's row from its owner): a change and a
        // delete of it replicate up
        String key = SiteClusters.column(CAS, cas, "SELECT topic_key FROM topic_state WHERE client_id = '" + client + "'").get(0);
        SiteClusters.sql(PS1, ps1, "INSERT INTO topic_state (client_id, site_code, topic_type, topic_id, topic_key, id_type, state_id, "
                + "message_time) VALUES ('" + client + "', 'SC2', 500, 'kb-2', " + key + ", 3, 2, now())");
        SiteClusters.sql(PS1, ps1, "UPDATE topic_state SET state_id = 7 WHERE client_id = '" + client + "'");
        SiteClusters.sql(PS1, ps1, "DELETE FROM topic_state WHERE client_id = '" + client + "'");
        UUID marker = UUID.randomUUID();
        state(PS1, ps1, marker, "SC1", "kb-after");
        await("SC1's later row", () -> count(CAS, cas, "SELECT count(*) FROM topic_state WHERE client_id = '" + marker + "'") == 1);

        assertThat(SiteClusters.column(CAS, cas, "SELECT state_id FROM topic_state WHERE client_id = '" + client + "'")).containsExactly("2");
        assertThat(count(CAS, cas, "SELECT count(*) FROM pg_stat_subscription WHERE subname = 'statesys_up_sc1' AND pid IS NOT NULL"))
                .as("the link keeps applying").isOne();
        assertThat(added(before, refusals("SC1"))).as("the insert, the update and the delete").isEqualTo(Map.of("SC2 topic_state", 3L));
    }

    @Test
    void aDescendantsCodeBelongsToTheFirstLinkThatBringsItsRows() throws Exception {
        UUID deep = UUID.randomUUID();
        SiteClusters.sql(PS1, ps1, "INSERT INTO site (site_code, parent_code) VALUES ('SC3', 'SC1')");
        state(PS1, ps1, deep, "SC3", "kb-3");
        await("SC3 through PS1", () -> count(CAS, cas, "SELECT count(*) FROM topic_state WHERE client_id = '" + deep + "'") == 1);
        UUID late = UUID.randomUUID();
        state(PS2, ps2, late, "SC3", "kb-3");
        UUID marker = UUID.randomUUID();
        state(PS2, ps2, marker, "SC2", "kb-after");
        await("SC2's later row", () -> count(CAS, cas, "SELECT count(*) FROM topic_state WHERE client_id = '" + marker + "'") == 1);

        assertThat(count(CAS, cas, "SELECT count(*) FROM topic_state WHERE client_id = '" + late + "'")).isZero();
        assertThat(SiteClusters.column(CAS, cas, "SELECT via FROM site_claim WHERE site_code = 'SC3'")).containsExactly("SC1");
        assertThat(count(CAS, cas, "SELECT rows FROM site_link_refusal WHERE via = 'SC2' AND site_code = 'SC3'")).isOne();
    }

    private static String migrated(int port, String site) throws Exception {
        String db = SiteClusters.createDatabase(port);
        SchemaMigrations.of(SiteClusters.jdbcUrl(port, db), SiteClusters.USER, SiteClusters.PASSWORD, site).load().migrate();
        return db;
    }

    /** A latest state written straight into a site's table, as its loader (or whoever holds its database) would. */
    private static void state(int port, String db, UUID client, String site, String topic) throws Exception {
        SiteClusters.sql(port, db, "INSERT INTO topic_state (client_id, site_code, topic_type, topic_id, topic_key, id_type, state_id, message_time) "
                + "VALUES ('" + client + "', '" + site + "', 500, '" + topic + "', topic_key(500, '" + topic + "'), 3, 2, now())");
    }

    private static void stats(int port, String db, UUID client, String site) throws Exception {
        SiteClusters.sql(port, db, "INSERT INTO client_message_stats (client_id, site_code, lowest_serial, highest_serial) VALUES ('"
                + client + "', '" + site + "', 1, 9000000000)");
    }

    /** Rows refused so far from one child's link, by site and table. */
    private static Map<String, Long> refusals(String via) throws Exception {
        Map<String, Long> out = new java.util.TreeMap<>();
        for (String row : SiteClusters.column(CAS, cas, "SELECT site_code || ' ' || table_name || '=' || rows FROM site_link_refusal "
                + "WHERE via = '" + via + "'")) {
            out.put(row.substring(0, row.indexOf('=')), Long.parseLong(row.substring(row.indexOf('=') + 1)));
        }
        return out;
    }

    private static Map<String, Long> added(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Long> out = new java.util.TreeMap<>();
        after.forEach((k, v) -> {
            long d = v - before.getOrDefault(k, 0L);
            if (d != 0) {
                out.put(k, d);
            }
        });
        return out;
    }

    private static long count(int port, String db, String sql) {
        try {
            return SiteClusters.count(port, db, sql);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void await(String what, BooleanSupplier done) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!done.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(deadline);
            SiteClusters.sleep(200);
        }
    }
}
