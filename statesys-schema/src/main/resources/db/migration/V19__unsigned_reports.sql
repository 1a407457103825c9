-- Unsigned reports are what they are: unverified. The fallback status point takes a report without
-- a signature only for a ClientID that has no identity (a client being deployed, before it has a
-- key), and the relay records that the report came so (inbox.unsigned, set only for a report the
-- FSP forwarded without a client signature while identity is enforced). The loader then keeps such
-- messages out of serial tracking, takes no sender fields from them for a client that has an
-- identity, and marks the latest states they set (topic_state.unsigned), which the client view and
-- the console show. A signed message always supersedes an unsigned one of the same topic, whatever
-- their times; an unsigned one never replaces a signed one. So a client that registers later is not
-- bound by what unsigned reports claimed in its name.
-- Columns added with constants: no rewrite. In a hierarchy a child's changes carry the new column:
-- until its parent has migrated too, the parent's apply waits and retries (nothing is lost, the
-- child's slot keeps them; README, "Upgrading across a migration").
ALTER TABLE inbox ADD COLUMN unsigned boolean NOT NULL DEFAULT false;
ALTER TABLE invalid_record ADD COLUMN unsigned boolean NOT NULL DEFAULT false;
ALTER TABLE topic_state ADD COLUMN unsigned boolean NOT NULL DEFAULT false;
