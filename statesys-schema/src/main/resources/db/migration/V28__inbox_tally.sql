-- How much waits in the inbox, kept as the inbox changes, so that status pages, gauges and the
-- console's overview cost the same with ten reports queued or ten million (they counted the whole
-- inbox on every call: ~100 ms on a churned inbox, seconds on a 10 M-message backlog).
--
-- Each statement that inserts into or deletes from the inbox adds its own count to the tally in the
-- same transaction, so any snapshot sees the tally and the inbox agree exactly. The tally is spread
-- over 64 rows chosen by the writer's backend: concurrent writers (the relays' and the FSP's
-- connections, the loaders) seldom wait for one another's commit on the same row. Reading it sums
-- 64 small rows. Each row is updated in place on its page (HOT), so the table stays one page or two
-- without a vacuum.
CREATE TABLE inbox_tally (
    slot     integer PRIMARY KEY,
    reports  bigint  NOT NULL DEFAULT 0,
    messages bigint  NOT NULL DEFAULT 0
) WITH (fillfactor = 20);

-- One function for both directions: the insert trigger names its new rows and the delete trigger
-- its old rows "changed", and the operation gives the sign.
CREATE FUNCTION inbox_tally_follow() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    sign integer := CASE TG_OP WHEN 'INSERT' THEN 1 ELSE -1 END;
BEGIN
    UPDATE inbox_tally t SET reports = t.reports + sign * c.reports, messages = t.messages + sign * c.messages
    FROM (SELECT count(*) AS reports, coalesce(sum(message_count), 0) AS messages FROM changed) c
    WHERE t.slot = pg_backend_pid() % 64 AND c.reports > 0;
    RETURN NULL;
END
$$;

CREATE FUNCTION inbox_tally_emptied() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE inbox_tally SET reports = 0, messages = 0 WHERE reports <> 0 OR messages <> 0;
    RETURN NULL;
END
$$;

-- No update changes message_count (a retry changes attempts and not_before only), so inserts,
-- deletes and TRUNCATE are all the tally has to follow.
CREATE TRIGGER inbox_tally_added AFTER INSERT ON inbox REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION inbox_tally_follow();
CREATE TRIGGER inbox_tally_removed AFTER DELETE ON inbox REFERENCING OLD TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION inbox_tally_follow();
CREATE TRIGGER inbox_tally_emptied AFTER TRUNCATE ON inbox
    FOR EACH STATEMENT EXECUTE FUNCTION inbox_tally_emptied();

-- What is queued already (the triggers above hold the inbox against writers until this commits).
INSERT INTO inbox_tally (slot, reports, messages)
SELECT s, CASE WHEN s = 0 THEN i.reports ELSE 0 END, CASE WHEN s = 0 THEN i.messages ELSE 0 END
FROM generate_series(0, 63) AS s,
     (SELECT count(*) AS reports, coalesce(sum(message_count), 0) AS messages FROM inbox) i;

-- The oldest report's age stays exact: the earliest received_at, read from the head of this index.
-- Arrival order is not enough, since a report requeued from invalid records keeps the time it was
-- first received. One index entry per report (about fifty messages) is what it costs the relay.
CREATE INDEX inbox_received ON inbox (received_at);
