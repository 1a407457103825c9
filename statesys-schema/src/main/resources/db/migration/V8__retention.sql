-- Retention (README, "Operating Statesys"): what each run removed, so forgetting is audited by count.
CREATE TABLE retention_run (
    id                      bigserial   PRIMARY KEY,
    ran_at                  timestamptz NOT NULL DEFAULT now(),
    clients_retired         bigint      NOT NULL,
    states_removed          bigint      NOT NULL,
    ranges_removed          bigint      NOT NULL,
    resyncs_removed         bigint      NOT NULL,
    invalid_removed         bigint      NOT NULL,
    dead_letters_removed    bigint      NOT NULL,
    resync_history_removed  bigint      NOT NULL,
    bad_reports_removed     bigint      NOT NULL
);
-- Retention finds old rows oldest first. (Not client_message_stats.last_seen: the loader changes it
-- with every chunk, and an index on it would cost every statistics update its HOT path; an
-- hourly scan of the statistics table is cheaper.)
CREATE INDEX invalid_record_failed_at ON invalid_record (failed_at);
CREATE INDEX fsp_dead_letter_dead_at ON fsp_dead_letter (dead_at);
CREATE INDEX resync_request_completed_at ON resync_request (completed_at) WHERE completed_at IS NOT NULL;
