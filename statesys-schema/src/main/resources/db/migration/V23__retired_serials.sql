-- A retired client's highest serial outlives it for a while. Retiring a client (retention after
-- statesys.retention.inactive-client-days, or POST /api/v1/clients/{id}/retire) removed its serial
-- statistics, so a report replayed afterwards started afresh and brought old states back as the
-- latest. The door refuses signatures older than statesys.identity.signature-window (24 h), so a
-- replay can only come within that time of its capture: the loader seeds a returning client's
-- statistics from its highest serial at retirement while that is younger than twice the window
-- (everything up to it counts as received, so old serials stay duplicates and a real gap is seen);
-- later, a client starts afresh as before (a reinstalled client may restart its serials). Only
-- this site's rows; it is not replicated.
CREATE TABLE retired_serial (
    client_id       uuid        NOT NULL,
    site_code       text        NOT NULL DEFAULT '${site_code}',
    highest_serial  bigint      NOT NULL,
    retired_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (client_id, site_code)
);
CREATE INDEX retired_serial_at ON retired_serial (retired_at);
