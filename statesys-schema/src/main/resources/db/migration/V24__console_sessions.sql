-- Console sessions that sign-out ends, under a key the tokens alone do not give. The session cookie
-- is signed with a key that was derived from the configured tokens only: whoever knew the admin or
-- viewer token could mint a cookie for any name, and signing out only dropped the cookie in the
-- browser. Now the key is derived from the tokens and this secret, drawn once by the database (so
-- changing a token still ends every session), and a signed-out session's nonce is written here
-- until the session would have expired; every resync-service replica refuses it within seconds.
CREATE TABLE console_secret (
    one          boolean PRIMARY KEY DEFAULT true CHECK (one),
    session_key  bytea   NOT NULL
);
INSERT INTO console_secret (session_key)
VALUES (decode(replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', ''), 'hex'));

CREATE TABLE console_session_revoked (
    nonce       text        PRIMARY KEY,
    expires_at  timestamptz NOT NULL
);
CREATE INDEX console_session_revoked_expires ON console_session_revoked (expires_at);
