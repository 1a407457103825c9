-- The topic key keyed by a secret of this database. V14 keyed latest state by PostgreSQL's
-- hashtextextended(topic_id, topic_type): a public function with a public seed whose last block can
-- be inverted, so anyone able to put a topic into a client's data could choose one whose key is
-- that of another topic of the client (found in seconds), and that client's genuine reports of the
-- topic would then fail as a key collision, for ever. Keyed with a secret nobody outside the
-- database knows, a key can no longer be computed, so a collision can no longer be chosen; one by
-- chance stays as unlikely as before (about 10^-12 for a client with 10,000 topics) and is still
-- refused, never merged (topic_key_collision).
--
-- topic_key = the first 8 bytes of SHA-256(secret || type as 4 bytes || id's bytes). The id's bytes
-- are taken with decode(…, 'escape') after doubling every backslash — exactly the text's bytes, by
-- immutable functions only (convert_to is stable: a function using it is not inlined, which made
-- each key cost 3 µs instead of 1). Nobody
-- outside sees a key, so the secret-prefix construction is a pseudo-random function here (length
-- extension needs a whole digest). The 32-byte secret is drawn once, now, and written into the
-- function's body: the function stays immutable (the upsert and the constraint inline it) and a
-- backup or restore of the database carries it. It is not a password — any role that can read
-- this database's catalog can read it — it keeps clients from choosing keys.
--
-- Each site draws its own secret, so at a parent the rows replicated from a descendant carry that
-- descendant's keys: the constraint checks only this site's rows (a parent never writes the
-- others; it finds them by the keys they arrived with, which are their replica identity).
-- Existing rows of this site are re-keyed here: on a large site this rewrites every latest state
-- once (README, "Upgrading across a migration"). The re-keyed rows replicate up as updates of
-- their keys; a parent not yet migrated refuses them (its V14 check) and its apply retries until it
-- is, losing nothing.
DO $migration$
DECLARE
    secret text := replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', '');
BEGIN
    EXECUTE format($f$
        CREATE OR REPLACE FUNCTION topic_key(topic_type integer, topic_id text) RETURNS bigint
            LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
            AS $body$ SELECT ('x' || encode(substr(sha256(%L::bytea || int4send(topic_type)
                                                            || decode(replace(topic_id, '\', '\\'), 'escape')), 1, 8), 'hex'))::bit(64)::bigint $body$
        $f$, '\x' || secret);
END
$migration$;

ALTER TABLE topic_state DROP CONSTRAINT topic_state_topic_key;
UPDATE topic_state SET topic_key = topic_key(topic_type, topic_id) WHERE site_code = '${site_code}';
ALTER TABLE topic_state ADD CONSTRAINT topic_state_topic_key
    CHECK (site_code <> '${site_code}' OR topic_key = topic_key(topic_type, topic_id));
