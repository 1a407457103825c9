-- Statesys schema. One owner: state-message-core. Every service migrates at start; Flyway's
-- advisory lock makes concurrent starts (several pods of a rollout) safe.

-- The state system inbox (the original's auth\statesys.box\incoming): one row per accepted report.
-- Messages travel in a compact binary column (io.statesys.core.inbox.InboxPayload) so the relay
-- writes one row per report and the loader claims whole reports in id (arrival) order.
CREATE TABLE inbox (
    id             bigserial   PRIMARY KEY,
    client_id      uuid        NOT NULL,
    netbios_name   text,
    source         text        NOT NULL DEFAULT 'mp',
    received_at    timestamptz NOT NULL DEFAULT now(),
    message_count  integer     NOT NULL CHECK (message_count > 0),
    payload        bytea       NOT NULL,
    attempts       integer     NOT NULL DEFAULT 0,
    not_before     timestamptz NOT NULL DEFAULT '-infinity',
    last_error     text
);
CREATE INDEX inbox_retry_wait ON inbox (not_before) WHERE attempts > 0;

-- Wakes the loaders as soon as a report commits (NOTIFY is delivered at commit); polling stays as
-- the safety net. Statement-level, so a batch insert notifies once.
CREATE FUNCTION inbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('statesys_inbox', '');
    RETURN NULL;
END
$$;
CREATE TRIGGER inbox_notify AFTER INSERT ON inbox FOR EACH STATEMENT EXECUTE FUNCTION inbox_notify();

-- Bodies that were refused (the original's "Corrupted" folder), kept for diagnosis; bounded by
-- count and age by the service that writes them.
CREATE TABLE bad_report (
    id               bigserial   PRIMARY KEY,
    received_at      timestamptz NOT NULL DEFAULT now(),
    service          text        NOT NULL,
    reason           text        NOT NULL,
    detail           text,
    content_type     text,
    content_encoding text,
    body             bytea
);
CREATE INDEX bad_report_received_at ON bad_report (received_at);

-- Latest state per (client, topic type, topic id).
CREATE TABLE topic_state (
    client_id      uuid        NOT NULL,
    topic_type     integer     NOT NULL,
    topic_id       text        NOT NULL,
    id_type        integer     NOT NULL,
    state_id       integer     NOT NULL,
    criticality    integer     NOT NULL DEFAULT 0,
    message_time   timestamptz NOT NULL,
    serial_number  bigint      NOT NULL,
    user_params    jsonb       NOT NULL DEFAULT '[]',
    updated_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (client_id, topic_type, topic_id)
);
-- Topic summaries (clients per state) answer from this index alone.
CREATE INDEX topic_state_by_topic ON topic_state (topic_type, topic_id, state_id);

-- Per-client serial statistics. Received serials are exactly [lowest, highest] minus the
-- client's missing ranges.
CREATE TABLE client_message_stats (
    client_id                          uuid        PRIMARY KEY,
    netbios_name                       text,
    lowest_serial                      bigint      NOT NULL,
    highest_serial                     bigint      NOT NULL,
    messages                           bigint      NOT NULL DEFAULT 0,
    duplicates                         bigint      NOT NULL DEFAULT 0,
    first_seen                         timestamptz NOT NULL DEFAULT now(),
    last_seen                          timestamptz NOT NULL DEFAULT now(),
    last_resync_issued_time            timestamptz,
    last_resync_client_completed_time  timestamptz
);

-- Serial numbers not (yet) received, as closed ranges; they never overlap.
CREATE TABLE missing_range (
    client_id     uuid        NOT NULL,
    first_serial  bigint      NOT NULL,
    last_serial   bigint      NOT NULL,
    detected_at   timestamptz NOT NULL,
    PRIMARY KEY (client_id, first_serial),
    CHECK (first_serial <= last_serial)
);
CREATE INDEX missing_range_detected_at ON missing_range (detected_at);

-- Resync requests: the policy the relay serves a client until its completion (700/2) is processed.
CREATE TABLE resync_request (
    id             bigserial   PRIMARY KEY,
    client_id      uuid        NOT NULL,
    issued_at      timestamptz NOT NULL DEFAULT now(),
    first_issued_at timestamptz NOT NULL DEFAULT now(),
    reissue_count  integer     NOT NULL DEFAULT 0,
    reason         text        NOT NULL DEFAULT 'missing-messages',
    completed_at   timestamptz
);
CREATE UNIQUE INDEX resync_request_one_outstanding ON resync_request (client_id) WHERE completed_at IS NULL;

-- Records the loader could never process (poison), with the reason.
CREATE TABLE invalid_record (
    id           bigserial   PRIMARY KEY,
    inbox_id     bigint,
    client_id    uuid,
    received_at  timestamptz,
    failed_at    timestamptz NOT NULL DEFAULT now(),
    attempts     integer     NOT NULL DEFAULT 0,
    message_count integer    NOT NULL DEFAULT 0,
    reason       text        NOT NULL,
    payload      bytea
);

-- Loader counters, one row per loader thread (no single hot row between concurrent loaders).
CREATE TABLE loader_counter (
    shard       text        PRIMARY KEY,
    reports     bigint      NOT NULL DEFAULT 0,
    processed   bigint      NOT NULL DEFAULT 0,
    invalid     bigint      NOT NULL DEFAULT 0,
    duplicates  bigint      NOT NULL DEFAULT 0,
    updated_at  timestamptz NOT NULL DEFAULT now()
);

-- The state system's heartbeat, one row per processor instance.
CREATE TABLE state_system_heartbeat (
    instance    text        PRIMARY KEY,
    beat_at     timestamptz NOT NULL,
    started_at  timestamptz NOT NULL,
    processed   bigint      NOT NULL DEFAULT 0,
    invalid     bigint      NOT NULL DEFAULT 0
);

-- The fallback status point's durable queue: one row per message, so the throttle can let through
-- exactly as many messages as its budget allows and regroup them per client into reports.
CREATE TABLE fsp_queue (
    id              bigserial   PRIMARY KEY,
    client_id       uuid        NOT NULL,
    netbios_name    text,
    client_version  text,
    received_at     timestamptz NOT NULL DEFAULT now(),
    serial_number   bigint      NOT NULL,
    message         bytea       NOT NULL,
    attempts        integer     NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT '-infinity',
    last_error      text
);

-- Reports the relay refused (4xx): kept with the relay's answer, out of the way of the rest.
CREATE TABLE fsp_dead_letter (
    id              bigserial   PRIMARY KEY,
    client_id       uuid        NOT NULL,
    netbios_name    text,
    received_at     timestamptz NOT NULL,
    dead_at         timestamptz NOT NULL DEFAULT now(),
    message_count   integer     NOT NULL,
    payload         bytea       NOT NULL,
    relay_status    integer,
    relay_answer    text
);

-- The FSP -> relay budget, shared by every FSP replica: a token bucket refilled at
-- statesys.fsp.throttle.messages per statesys.fsp.throttle.interval.
CREATE TABLE fsp_throttle (
    id           integer          PRIMARY KEY CHECK (id = 1),
    tokens       double precision NOT NULL,
    refilled_at  timestamptz      NOT NULL
);
INSERT INTO fsp_throttle (id, tokens, refilled_at) VALUES (1, 0, now());

-- What the FSP has forwarded, for its status (shared by replicas).
CREATE TABLE fsp_forward_stats (
    id               integer     PRIMARY KEY CHECK (id = 1),
    forwarded        bigint      NOT NULL DEFAULT 0,
    last_forward_at  timestamptz,
    last_error       text,
    last_error_at    timestamptz
);
INSERT INTO fsp_forward_stats (id) VALUES (1);

-- The state-name catalog.
CREATE TABLE state_name (
    topic_type  integer NOT NULL,
    state_id    integer NOT NULL,
    state_name  text    NOT NULL,
    PRIMARY KEY (topic_type, state_id)
);

-- Compatibility views (CONTRACT §6): admins' existing queries run unchanged. Unquoted aliases fold
-- to lower case exactly as the admins' unquoted names do.
CREATE VIEW SR_ClientMessageStats AS
SELECT client_id                          AS ClientID,
       netbios_name                       AS NetBIOSName,
       lowest_serial                      AS LowestSerialNumber,
       highest_serial                     AS HighestSerialNumber,
       messages                           AS MessageCount,
       duplicates                         AS DuplicateCount,
       last_seen                          AS LastMessageTime,
       last_resync_issued_time            AS LastResyncIssuedTime,
       last_resync_client_completed_time  AS LastResyncClientCompletedTime
FROM client_message_stats;

CREATE VIEW SR_MissingMessageRanges AS
SELECT client_id     AS ClientID,
       first_serial  AS FirstSerialNumber,
       last_serial   AS LastSerialNumber,
       detected_at   AS DetectedTime
FROM missing_range;

CREATE VIEW v_StateNames AS
SELECT topic_type AS TopicType, state_id AS StateID, state_name AS StateName
FROM state_name;
