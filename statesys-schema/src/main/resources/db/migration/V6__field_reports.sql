-- Reports from the field (docs/api.md, "The report"): messages without a serial number,
-- StateDetails kept with the latest state, the sender's own description, and report priority.

-- A message without a SerialNumber (script results, FSP messages) can be a topic's latest state.
ALTER TABLE topic_state ALTER COLUMN serial_number DROP NOT NULL;
ALTER TABLE topic_state ADD COLUMN details_type integer;
ALTER TABLE topic_state ADD COLUMN details_data text;

-- Serial-less messages are counted apart: they take no part in lowest/highest/duplicates/missing.
-- How the sender described itself in its last report (ClientInstalled 0 = a site system).
ALTER TABLE client_message_stats ADD COLUMN serial_less bigint NOT NULL DEFAULT 0;
ALTER TABLE client_message_stats ADD COLUMN client_version text;
ALTER TABLE client_message_stats ADD COLUMN client_installed integer;
ALTER TABLE client_message_stats ADD COLUMN client_type integer;
ALTER TABLE client_message_stats ADD COLUMN id_type integer;
ALTER TABLE client_message_stats ADD COLUMN id_flag integer;

-- The loader takes higher-priority reports first. Almost every report has priority 0, so the
-- index holds only the others: it costs the hot insert nothing and is empty most of the time.
ALTER TABLE inbox ADD COLUMN priority smallint NOT NULL DEFAULT 0;
CREATE INDEX inbox_priority ON inbox (priority DESC, id) WHERE priority > 0;

-- The FSP keeps serial-less messages and the report's priority until it forwards them.
ALTER TABLE fsp_queue ALTER COLUMN serial_number DROP NOT NULL;
ALTER TABLE fsp_queue ADD COLUMN priority smallint NOT NULL DEFAULT 0;
