-- The inbox payload of a 50-message report is ~2.8 kB, over PostgreSQL's 2 kB TOAST threshold, so
-- every report is compressed by the relay's backend as it is inserted. lz4 does that in less than
-- half of pglz's time (scripts/payload-compression-bench.sh: 60,000 real payloads, 591-624 against
-- 1,343-1,537 ms) for ~166 WAL bytes more a report (docs/benchmarks.md, "lz4 for the inbox
-- payload"). It applies to rows written from now on; older rows keep pglz and read as before.
-- A server built without lz4 keeps pglz: nothing else changes.
DO $$
BEGIN
    ALTER TABLE inbox ALTER COLUMN payload SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported THEN
    RAISE NOTICE 'this PostgreSQL has no lz4: the inbox payload stays compressed with pglz';
END $$;
