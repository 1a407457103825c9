-- The fallback status point's queue read by when each message is due (issue 13). Its forwarder asks
-- four times a second whether anything is due, and leases the due messages; both read fsp_queue
-- by next_attempt_at, which had no index. While the relay is down the FSP is where the clients'
-- messages pile up, each backing off, none due: every question then read the whole queue
-- (1,000,000 messages in back-off: 94-100 ms per question, PostgreSQL at ~30 % of a core for an
-- FSP doing nothing; docs/benchmarks.md, "The fallback status point under a large backlog").
--
-- With this index the forwarder reads only what is due, in the order it became due
-- (ForwardStore.LEASE orders by (next_attempt_at, id), which the index returns without a sort).
-- A new message is due from the moment it arrives, as a signed report already was (V4), so new
-- messages leave in arrival order and a message that backed off takes its place again when its
-- wait is over, instead of going ahead of everything that arrived while it waited. Messages
-- queued before this migration keep '-infinity' and leave first.
--
-- On an FSP holding a large queue the build locks its writes for about a second per million
-- messages (README, "Upgrading across a migration").
CREATE INDEX fsp_queue_due ON fsp_queue (next_attempt_at, id);
ALTER TABLE fsp_queue ALTER COLUMN next_attempt_at SET DEFAULT now();
