-- Latest state keyed by a 64-bit topic key (issue 13). The primary key was
-- (client_id, site_code, topic_type, topic_id): every entry carried the topic's text id (a GUID,
-- 38 bytes, longer for scope ids), and every upsert compared text down its B-tree. Keyed by
-- topic_key = hashtextextended(topic_id, topic_type) instead, the index of a million latest states
-- is 67 MB instead of 104 (72 instead of 156 once they have all changed), which is what decides
-- whether a large site's latest state stays in memory (docs/benchmarks.md, "The latest state
-- keyed by a 64-bit topic key"; the CPU saving was within the test machine's noise).
--
-- topic_key is an ordinary column, written by whoever writes the row (the loader computes it in
-- its upsert; topic_key(type, id) below) and checked by a constraint, because a generated column
-- would not be sent by logical replication and the parent site could then not find the rows that
-- a child's updates name (the key is the replica identity). hashtextextended is the hash that
-- PostgreSQL's hash partitioning stores on disk, so it is the same on every site and version.
--
-- Two topics of one client with the same key are so unlikely (about 10^-12 for a client with
-- 10,000 topics) that they are not designed around, but they are never silently merged: the
-- loader's upsert calls topic_key_collision(), which fails the statement, so the report is loaded
-- alone and, failing again, kept in invalid_record with the reason.
CREATE FUNCTION topic_key(topic_type integer, topic_id text) RETURNS bigint
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT hashtextextended(topic_id, topic_type) $$;

CREATE FUNCTION topic_key_collision(client uuid, stored_type integer, stored_id text,
                                    arriving_type integer, arriving_id text) RETURNS boolean
    LANGUAGE plpgsql VOLATILE AS $$
BEGIN
    RAISE EXCEPTION 'topic key collision: client %, stored topic %/% and arriving topic %/% share key %',
        client, stored_type, stored_id, arriving_type, arriving_id, topic_key(arriving_type, arriving_id)
        USING ERRCODE = 'unique_violation';
END
$$;

-- Added as a generated column and turned into a plain one: the table is rewritten once, with no
-- dead copy of every row (an UPDATE would leave one).
ALTER TABLE topic_state ADD COLUMN topic_key bigint GENERATED ALWAYS AS (hashtextextended(topic_id, topic_type)) STORED;
ALTER TABLE topic_state ALTER COLUMN topic_key DROP EXPRESSION;
ALTER TABLE topic_state ALTER COLUMN topic_key SET NOT NULL;
ALTER TABLE topic_state ADD CONSTRAINT topic_state_topic_key CHECK (topic_key = topic_key(topic_type, topic_id));
ALTER TABLE topic_state DROP CONSTRAINT topic_state_pkey;
ALTER TABLE topic_state ADD PRIMARY KEY (client_id, site_code, topic_key);
