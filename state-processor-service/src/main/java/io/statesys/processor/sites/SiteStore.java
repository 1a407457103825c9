package io.statesys.processor.sites;

/** The SQL of the site hierarchy: this site's heartbeat, the sites it knows, and its replication objects. */
final class SiteStore {
    private SiteStore() {
    }

    /** This site's own row moves every heartbeat; replicated up, its age at an ancestor is the link's lag. */
    static final String BEAT = """
            INSERT INTO site (site_code, parent_code, beat_at) VALUES (own_site(), $1, now())
            ON CONFLICT (site_code) DO UPDATE SET parent_code = excluded.parent_code, beat_at = now()""";

    static final String SITES = """
            SELECT site_code, parent_code, beat_at, site_code = own_site() AS self,
                   extract(epoch FROM now() - beat_at)::float8 AS lag, now() AS as_of
            FROM site ORDER BY site_code""";

    /** The subscriptions of this database, and how many tables each has picked up. */
    static final String SUBSCRIPTIONS = """
            SELECT s.subname, s.subenabled,
                   (SELECT count(*) FROM pg_subscription_rel r WHERE r.srsubid = s.oid) AS tables
            FROM pg_subscription s
            WHERE s.subdbid = (SELECT oid FROM pg_database WHERE datname = current_database())""";

    static final String SLOT_EXISTS = "SELECT count(*) AS n FROM pg_replication_slots WHERE slot_name = $1";

    static final String CREATE_SLOT = "SELECT pg_create_logical_replication_slot($1, 'pgoutput')";

    static final String PUBLICATION_EXISTS = "SELECT count(*) AS n FROM pg_publication WHERE pubname = $1";

    /** A configured child's own code comes through its own link, whoever claimed it before (V25). */
    static final String CLAIM_CHILD = """
            INSERT INTO site_claim (site_code, via) VALUES ($1, $1)
            ON CONFLICT (site_code) DO UPDATE SET via = excluded.via, claimed_at = now()
            WHERE site_claim.via <> excluded.via""";

    /** Claims of links no longer configured: a site that moved under another child may come through it. */
    static final String RELEASE_UNCONFIGURED = "DELETE FROM site_claim WHERE NOT (via = ANY($1))";

    /** Rows refused per child link since the site began (V25). */
    static final String REFUSALS = "SELECT via, sum(rows)::bigint AS rows FROM site_link_refusal GROUP BY via";

    /** One link round at a time across processor replicas (a session lock on the round's connection). */
    static final String TRY_LOCK = "SELECT pg_try_advisory_lock(hashtext('statesys.site-links')) AS locked";
    static final String UNLOCK = "SELECT pg_advisory_unlock(hashtext('statesys.site-links'))";
}
