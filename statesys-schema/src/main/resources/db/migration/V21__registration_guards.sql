-- Registration that cannot be squatted. Anyone could register any unregistered ClientID as pending
-- with their own key; the genuine client then met 409, and the squatter, presenting any valid
-- enrolment token later, was approved. Now (Registrations): in approval mode `token` no row is
-- written without a valid token; pending registrations expire (statesys.identity.pending-expiry,
-- removed by the processor's retention); an admin can reset an identity (the key is forgotten and
-- the client may register again); a token may carry a use limit; a blocked client cannot rotate.
--
-- An identity that is removed leaves a row here for a day: relays and FSPs learn which identities
-- changed from changed_at (KeyCache), and a deleted row has none, so they would keep serving the
-- forgotten key until their cache's backstop.
CREATE TABLE client_identity_reset (
    client_id  uuid        NOT NULL,
    reset_at   timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX client_identity_reset_at ON client_identity_reset (reset_at);

-- Most registrations a token may approve; NULL: any number until it expires or is revoked.
ALTER TABLE enrolment_token ADD COLUMN max_registrations integer CHECK (max_registrations > 0);
