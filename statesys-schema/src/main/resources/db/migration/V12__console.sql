-- The operations console (README, "Console"): what operators did, and the sampled history behind
-- the overview's charts, kept in the database so every replica shows the same.

-- Every console action: who, when, what, on what, how many.
CREATE TABLE console_audit (
    id        bigserial   PRIMARY KEY,
    at        timestamptz NOT NULL DEFAULT now(),
    actor     text        NOT NULL,
    role      text        NOT NULL,
    action    text        NOT NULL,
    target    text        NOT NULL,
    affected  integer     NOT NULL,
    detail    text
);
CREATE INDEX console_audit_at ON console_audit (at);

-- One row per sample (statesys.console.sample-interval): the backlog, cumulative totals (rates are
-- differences of two samples), and the heavier aggregates (activity, floods) computed once per
-- sample instead of once per page view.
CREATE TABLE console_sample (
    sampled_at          timestamptz PRIMARY KEY,
    inbox_reports       bigint      NOT NULL,
    inbox_messages      bigint      NOT NULL,
    oldest_age_seconds  bigint      NOT NULL,
    processed           bigint      NOT NULL,
    received            bigint      NOT NULL,
    fsp_queued          bigint      NOT NULL,
    outstanding_resyncs bigint      NOT NULL,
    clients             bigint      NOT NULL,
    active_24h          bigint      NOT NULL,
    active_7d           bigint      NOT NULL,
    stale_30d           bigint      NOT NULL,
    never_reported      bigint      NOT NULL,
    floods              jsonb       NOT NULL DEFAULT '[]',
    -- a few clients registered that never reported, and the longest silent ones (to look at)
    never_examples      jsonb       NOT NULL DEFAULT '[]',
    obsolete            jsonb       NOT NULL DEFAULT '[]'
);

-- Each active client's message count at the start of its current hour and the hour before, so a
-- flood (messages in the last hour against the client's usual rate) is one join, not a log scan.
CREATE TABLE client_rate_mark (
    client_id      uuid        NOT NULL,
    site_code      text        NOT NULL,
    marked_at      timestamptz NOT NULL,
    messages       bigint      NOT NULL,
    prev_marked_at timestamptz,
    prev_messages  bigint,
    PRIMARY KEY (client_id, site_code)
);

-- Each resync check that issued something, and whether it stopped at max-per-check (a storm-cap hit).
CREATE TABLE resync_check_run (
    checked_at  timestamptz PRIMARY KEY DEFAULT clock_timestamp(),
    issued      integer     NOT NULL,
    reissued    integer     NOT NULL,
    capped      boolean     NOT NULL
);

-- A refused body's client, when it could be read from it, for the console's client page.
ALTER TABLE bad_report ADD COLUMN client_id uuid;
CREATE INDEX bad_report_client ON bad_report (client_id) WHERE client_id IS NOT NULL;
CREATE INDEX fsp_dead_letter_client ON fsp_dead_letter (client_id);

-- The identity view's pending and blocked clients, without reading every approved one.
CREATE INDEX client_identity_not_approved ON client_identity (status, registered_at) WHERE status <> 'approved';

-- Finding a client by the beginning of its NetBIOS name. The name rarely changes, so the loader's
-- updates of a client's statistics stay HOT.
CREATE INDEX client_message_stats_name ON client_message_stats (lower(netbios_name) text_pattern_ops);

-- Clients per state of a topic, and who has a state for it, from the topic index alone (an
-- index-only scan): the index carries the client's key. Rebuilding it takes a lock on topic_state for
-- the build (about 25 s for 20 M rows here); on a large site, build the new index CONCURRENTLY by hand
-- under another name before migrating, then this migration only swaps names (README, "Console").
DROP INDEX IF EXISTS topic_state_by_topic;
CREATE INDEX topic_state_by_topic ON topic_state (topic_type, topic_id, state_id) INCLUDE (client_id, site_code);
