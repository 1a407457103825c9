-- Client identity (docs/api.md, "Client identity"): each client's registered public key and its
-- standing, the enrolment tokens that approve registrations, and the clients still sending
-- unverified reports while identity.mode is "report".

CREATE TABLE enrolment_token (
    id            bigserial   PRIMARY KEY,
    -- SHA-256 of the token's secret part; the token itself is shown once and never stored
    secret_hash   bytea       NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    expires_at    timestamptz NOT NULL,
    revoked_at    timestamptz,
    registrations integer     NOT NULL DEFAULT 0
);

CREATE TABLE client_identity (
    client_id        uuid        PRIMARY KEY,
    netbios_name     text,
    algorithm        text        NOT NULL CHECK (algorithm IN ('ed25519', 'rsa-v1_5-sha256')),
    public_key       bytea       NOT NULL,           -- DER SubjectPublicKeyInfo
    key_fingerprint  text        NOT NULL,           -- hex SHA-256 of public_key
    status           text        NOT NULL CHECK (status IN ('pending', 'approved', 'blocked')),
    registered_at    timestamptz NOT NULL DEFAULT now(),
    key_rotated_at   timestamptz,
    approved_at      timestamptz,
    blocked_at       timestamptz,
    approved_by_token bigint     REFERENCES enrolment_token (id)
);

CREATE TABLE unverified_client (
    client_id    uuid        PRIMARY KEY,
    reports      bigint      NOT NULL DEFAULT 0,
    last_reason  text        NOT NULL,
    first_at     timestamptz NOT NULL DEFAULT now(),
    last_at      timestamptz NOT NULL DEFAULT now()
);

-- The FSP forwards a signed report whole, with its original bytes and signature fields, so the
-- relay verifies the client's own signature; unsigned messages stay one row each in fsp_queue.
CREATE TABLE fsp_signed_report (
    id               bigserial   PRIMARY KEY,
    client_id        uuid        NOT NULL,
    received_at      timestamptz NOT NULL DEFAULT now(),
    message_count    integer     NOT NULL,
    content_type     text,
    content_encoding text,
    content_digest   text        NOT NULL,
    signature_input  text        NOT NULL,
    signature        text        NOT NULL,
    body             bytea       NOT NULL,
    attempts         integer     NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz NOT NULL DEFAULT now(),
    last_error       text
);
CREATE INDEX fsp_signed_report_due ON fsp_signed_report (next_attempt_at, id);
