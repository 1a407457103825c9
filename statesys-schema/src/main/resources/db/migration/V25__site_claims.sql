-- A parent takes from each child only the rows of that child's own subtree. Logical replication
-- applies whatever the child's database publishes, so before this a child (or whoever holds its
-- database) could write rows in the name of any site: its sibling's clients, the parent's own.
--
-- Which child link a foreign site's rows come through is claimed here, first come first served:
-- the processor claims each configured child's own code for its link before it subscribes
-- (SiteLinks), and a descendant's code is claimed by the first link that brings a row of it. A row
-- that arrives through a link for a site claimed by another link — or for this site itself — is
-- skipped and counted in site_link_refusal (GET /api/v1/sites shows the counts per child). Neither
-- table is published: each site judges its own children.
--
-- The link is known from the applying worker's subscription (pg_stat_subscription, once per
-- session): statesys_up_<child>, as SiteLinks names them. Rows applied by a subscription of another
-- name (an operator's own, with statesys.site.manage-links off) are taken as before. A site that
-- moves under another child keeps its claim until an operator releases it
-- (DELETE FROM site_claim WHERE site_code = '...'); the processor releases the claims of links that
-- are no longer configured.
CREATE TABLE site_claim (
    site_code   text        PRIMARY KEY,
    via         text        NOT NULL,
    claimed_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE site_link_refusal (
    via         text        NOT NULL,
    site_code   text        NOT NULL,
    table_name  text        NOT NULL,
    rows        bigint      NOT NULL,
    last_at     timestamptz NOT NULL,
    PRIMARY KEY (via, site_code, table_name)
);

-- Whether rows of site `code` may come through the link of child `link`; claims an unclaimed code.
CREATE FUNCTION site_reached_through(code text, link text) RETURNS boolean LANGUAGE plpgsql
SET search_path FROM CURRENT AS $$
DECLARE
    owner text;
BEGIN
    IF code IS NULL OR code = own_site() THEN
        RETURN false;
    END IF;
    SELECT via INTO owner FROM site_claim WHERE site_code = code;
    IF owner IS NULL THEN
        INSERT INTO site_claim (site_code, via) VALUES (code, link) ON CONFLICT (site_code) DO NOTHING;
        SELECT via INTO owner FROM site_claim WHERE site_code = code;
    END IF;
    RETURN owner = link;
END
$$;

CREATE FUNCTION row_from_child_link() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
DECLARE
    -- '-' once this session is known not to be a statesys_up_<child> worker.
    link text := current_setting('statesys.link', true);
    code text;
BEGIN
    IF link IS NULL OR link = '' THEN
        SELECT CASE WHEN subname LIKE 'statesys\_up\_%' THEN upper(substr(subname, 13)) END INTO link
        FROM pg_stat_subscription WHERE pid = pg_backend_pid();
        link := coalesce(link, '-');
        PERFORM set_config('statesys.link', link, false);
    END IF;
    IF link = '-' THEN
        RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
    END IF;
    code := CASE WHEN TG_OP = 'DELETE' THEN OLD.site_code ELSE NEW.site_code END;
    IF site_reached_through(code, link)
            AND (TG_OP <> 'UPDATE' OR OLD.site_code = NEW.site_code OR site_reached_through(OLD.site_code, link)) THEN
        RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
    END IF;
    INSERT INTO site_link_refusal AS r (via, site_code, table_name, rows, last_at)
    VALUES (link, coalesce(code, ''), TG_TABLE_NAME, 1, now())
    ON CONFLICT (via, site_code, table_name) DO UPDATE SET rows = r.rows + 1, last_at = now();
    RETURN NULL;
END
$$;

-- Only in sessions that apply replication (session_replication_role = replica): this site's own
-- writes never pay for it.
DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['site', 'topic_state', 'client_message_stats', 'missing_range', 'resync_request'] LOOP
        EXECUTE format('CREATE TRIGGER row_from_child_link BEFORE INSERT OR UPDATE OR DELETE ON %I '
                       'FOR EACH ROW EXECUTE FUNCTION row_from_child_link()', t);
        EXECUTE format('ALTER TABLE %I ENABLE REPLICA TRIGGER row_from_child_link', t);
    END LOOP;
END
$$;
