-- Registrations counted without a hot row (issue 13). Every registration a token approved used to
-- update that token's one row (registrations + 1) in the transaction that inserted the identity,
-- whose foreign key share-locked the same row. A mass enrolment (thousands of clients behind one
-- token) queued on that row, and every lock taken while another transaction held one made a
-- MultiXact that the next locker copied with all its members: in a profile of 10,000 registrations
-- PostgreSQL spent 13 % of its CPU reading MultiXact members (GetMultiXactIdMembers) and more
-- opening their SLRU files.
--
-- Counts now go to one of 16 rows per token, picked by the client's id, and are summed when
-- listed. The foreign key goes: tokens are never deleted (revoking sets revoked_at), so it
-- guarded against nothing that happens, and its share lock was the other half of the queue.
CREATE TABLE enrolment_token_registrations (
    token_id      bigint   NOT NULL,
    shard         smallint NOT NULL,
    registrations bigint   NOT NULL,
    PRIMARY KEY (token_id, shard)
) WITH (fillfactor = 50);

INSERT INTO enrolment_token_registrations (token_id, shard, registrations)
SELECT id, 0, registrations FROM enrolment_token WHERE registrations > 0;

ALTER TABLE enrolment_token DROP COLUMN registrations;
ALTER TABLE client_identity DROP CONSTRAINT IF EXISTS client_identity_approved_by_token_fkey;
