-- Refused bodies kept so that they cannot fill the disk nor erase the evidence. Every refused body
-- was stored whole (up to 8 MiB) and pruned by row count alone: a thousand cheap requests made
-- 8 GiB, and replaced every earlier refusal record. Now (BadReports): a bounded prefix of each body
-- is kept (statesys.bad-reports.max-body-bytes) with its size as sent; each reason is bounded by
-- count and bytes of its own, so one reason cannot evict the others; a source address has a quota
-- of kept refusals a minute. A refused body is attributed to a client (client_id) only when that
-- client's signature verified; the ClientID the body merely claims is claimed_client_id.
ALTER TABLE bad_report ADD COLUMN claimed_client_id uuid,
                       ADD COLUMN body_size integer,
                       ADD COLUMN source text;
-- what was attributed before came from the body's text, never from a verified signature
UPDATE bad_report SET claimed_client_id = client_id, client_id = NULL WHERE client_id IS NOT NULL;
CREATE INDEX bad_report_claimed_client ON bad_report (claimed_client_id) WHERE claimed_client_id IS NOT NULL;
CREATE INDEX bad_report_reason ON bad_report (reason, id);
