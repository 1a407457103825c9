-- A report set aside keeps what the inbox knew of it besides its payload: the client's NetBIOS name
-- (the relay's header, not in the payload), the report's priority and where it came from (mp, fsp,
-- requeued). A re-queue (POST /api/v1/invalid-records/…/requeue) gives them back, so a report loads
-- as it would have the first time: the name reaches the client's statistics and a priority report is
-- claimed first. Records set aside before this migration have no name, priority 0 and no source.
-- Columns added with constants: no rewrite.
ALTER TABLE invalid_record ADD COLUMN netbios_name text,
                           ADD COLUMN priority     smallint NOT NULL DEFAULT 0,
                           ADD COLUMN source       text;
