-- Relays and FSPs keep the identities they verified with in memory and ask, every
-- statesys.identity.cache-ttl, which ones changed (KeyCache): one small indexed query per replica
-- instead of one lookup per report once an entry is older than the TTL (a client reports every
-- 15 minutes, so with a 30-s TTL every report was a lookup). Every update path (approve, block,
-- unblock, key rotation) moves changed_at, through the trigger, so none can be forgotten.
ALTER TABLE client_identity ADD COLUMN changed_at timestamptz NOT NULL DEFAULT clock_timestamp();
CREATE INDEX client_identity_changed ON client_identity (changed_at);

CREATE FUNCTION client_identity_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- the wall clock, not the transaction's start: closer to the commit the readers see
    NEW.changed_at := clock_timestamp();
    RETURN NEW;
END $$;

CREATE TRIGGER client_identity_changed BEFORE UPDATE ON client_identity
    FOR EACH ROW EXECUTE FUNCTION client_identity_changed();
