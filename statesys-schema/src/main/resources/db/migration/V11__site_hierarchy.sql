-- Site hierarchy (docs/api.md, "Site hierarchy"; README, "Site hierarchy"). Each site processes its own
-- clients; what it processed is replicated up to its parent by PostgreSQL logical replication
-- (publication statesys_up here, a subscription at the parent), and resync orders made at a parent
-- come down the other way (table resync_order). ${site_code} is statesys.site.code, passed by
-- SchemaMigration as a Flyway placeholder: it becomes the default of every processed row written here.

-- This database's own site, fixed at the first migration (a service refuses to start with another code).
CREATE TABLE site_self (
    one        boolean PRIMARY KEY DEFAULT true CHECK (one),
    site_code  text    NOT NULL CHECK (site_code ~ '^[A-Z0-9]{3}$')
);
INSERT INTO site_self (site_code) VALUES ('${site_code}');

-- Inlined by the planner (one STABLE SELECT): "rows of this site" in the statements that act on them.
CREATE FUNCTION own_site() RETURNS text LANGUAGE sql STABLE PARALLEL SAFE AS $$ SELECT site_code FROM site_self $$;

-- Every site of this part of the hierarchy: this one (kept here) and, replicated from below, each
-- descendant's own row. beat_at moves every statesys.site.heartbeat at the site itself, so at a parent
-- now() - beat_at is how far the link lags.
CREATE TABLE site (
    site_code    text        PRIMARY KEY CHECK (site_code ~ '^[A-Z0-9]{3}$'),
    parent_code  text,
    started_at   timestamptz NOT NULL DEFAULT now(),
    beat_at      timestamptz NOT NULL DEFAULT now()
);
INSERT INTO site (site_code) VALUES ('${site_code}');

-- The processed tables carry the site of their client and their keys include it, so that several
-- children replicate into one parent without conflicts, including a client that moved from one child to
-- another: both rows exist at the parent until the old site retires its copy. The client stays the
-- first key column: every lookup by client (loader, reports, retention) keeps using the key's index.
ALTER TABLE topic_state ADD COLUMN site_code text NOT NULL DEFAULT '${site_code}';
ALTER TABLE topic_state DROP CONSTRAINT topic_state_pkey;
ALTER TABLE topic_state ADD PRIMARY KEY (client_id, site_code, topic_type, topic_id);

ALTER TABLE client_message_stats ADD COLUMN site_code text NOT NULL DEFAULT '${site_code}';
ALTER TABLE client_message_stats DROP CONSTRAINT client_message_stats_pkey;
ALTER TABLE client_message_stats ADD PRIMARY KEY (client_id, site_code);

ALTER TABLE missing_range ADD COLUMN site_code text NOT NULL DEFAULT '${site_code}';
ALTER TABLE missing_range DROP CONSTRAINT missing_range_pkey;
ALTER TABLE missing_range ADD PRIMARY KEY (client_id, site_code, first_serial);

-- Request ids come from each site's own sequence: unique per site only.
ALTER TABLE resync_request ADD COLUMN site_code text NOT NULL DEFAULT '${site_code}';
ALTER TABLE resync_request DROP CONSTRAINT resync_request_pkey;
ALTER TABLE resync_request ADD PRIMARY KEY (site_code, id);
DROP INDEX resync_request_one_outstanding;
CREATE UNIQUE INDEX resync_request_one_outstanding ON resync_request (client_id, site_code) WHERE completed_at IS NULL;
CREATE INDEX resync_request_client ON resync_request (client_id);

-- The compatibility views gain the site as their last column (admins' queries run unchanged).
CREATE OR REPLACE VIEW SR_ClientMessageStats AS
SELECT client_id                          AS ClientID,
       netbios_name                       AS NetBIOSName,
       lowest_serial                      AS LowestSerialNumber,
       highest_serial                     AS HighestSerialNumber,
       messages                           AS MessageCount,
       duplicates                         AS DuplicateCount,
       last_seen                          AS LastMessageTime,
       last_resync_issued_time            AS LastResyncIssuedTime,
       last_resync_client_completed_time  AS LastResyncClientCompletedTime,
       site_code                          AS SiteCode
FROM client_message_stats;

CREATE OR REPLACE VIEW SR_MissingMessageRanges AS
SELECT client_id     AS ClientID,
       first_serial  AS FirstSerialNumber,
       last_serial   AS LastSerialNumber,
       detected_at   AS DetectedTime,
       site_code     AS SiteCode
FROM missing_range;

-- One operator's resync, forced for one client — at this site for its own client, or at an ancestor for a
-- client of this site. The one statement every path uses (the resync service, orders from a parent):
-- re-issues the outstanding request or issues one, and stamps the client's statistics.
-- (SET search_path: the logical replication worker that fires resync_order_arrived runs with an empty one.)
CREATE FUNCTION force_resync(client uuid, why text) RETURNS SETOF resync_request LANGUAGE plpgsql
SET search_path FROM CURRENT AS $$
BEGIN
    RETURN QUERY
        INSERT INTO resync_request AS r (site_code, client_id, reason)
        VALUES (own_site(), client, why)
        ON CONFLICT (client_id, site_code) WHERE completed_at IS NULL
        DO UPDATE SET issued_at = now(), reissue_count = r.reissue_count + 1
        RETURNING r.*;
    UPDATE client_message_stats SET last_resync_issued_time = now()
    WHERE site_code = own_site() AND client_id = client;
END
$$;

-- Resyncs ordered at an ancestor for a client of a descendant: inserted at the ancestor, replicated down
-- (insert only, row-filtered per child), acted on by the client's own site. Keyed by the ordering site so
-- that orders from several ancestors never collide.
CREATE TABLE resync_order (
    ordered_by  text        NOT NULL,
    id          bigserial   NOT NULL,
    site_code   text        NOT NULL,
    client_id   uuid        NOT NULL,
    ordered_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (ordered_by, id)
);

CREATE FUNCTION resync_order_arrived() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
    IF NEW.site_code = own_site() THEN
        BEGIN
            PERFORM force_resync(NEW.client_id, 'forced-at-' || NEW.ordered_by);
        EXCEPTION WHEN OTHERS THEN
            -- An order that cannot be acted on must not stop the link (every later order would wait behind it).
            RAISE WARNING 'resync order %/% for client % not acted on: %', NEW.ordered_by, NEW.id, NEW.client_id, SQLERRM;
        END;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER resync_order_arrived AFTER INSERT ON resync_order FOR EACH ROW EXECUTE FUNCTION resync_order_arrived();
-- Fire for rows applied by logical replication too (their session runs as replica).
ALTER TABLE resync_order ENABLE ALWAYS TRIGGER resync_order_arrived;

-- What goes up. No TRUNCATE: a truncate here must never empty a parent's table of its other children.
-- (With wal_level below logical the publication exists and costs nothing.)
CREATE PUBLICATION statesys_up FOR TABLE site, topic_state, client_message_stats, missing_range, resync_request
    WITH (publish = 'insert, update, delete');
