#!/usr/bin/env bash
# The registration transaction's PostgreSQL cost, before and after migration V13, in isolation:
# 8 connections (the relay's pool is 16) each run the registration's statements for new clients
# behind ONE enrolment token — a mass enrolment. "before" is V4's shape (the identity's foreign key
# to its token, registrations + 1 on the token's row); "after" is V13's (no foreign key, the count
# in one of 16 rows per token). Prints pgbench's rate, PostgreSQL's CPU (the server's postmaster and
# its processes from /proc, reaped backends included: lib.sh's postmaster_cpu) and the MultiXacts made.
# usage: scripts/registration-bench.sh [registrations per run, default 20000] [runs each, default 2]
# Needs pgbench (Debian: postgresql-15 or postgresql-client) and /proc of the PostgreSQL server (same machine).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
total="${1:-20000}" runs="${2:-2}" conns=8
db="statesys_registration_bench_$$"
pgbench="$(command -v pgbench || ls /usr/lib/postgresql/*/bin/pgbench 2>/dev/null | tail -1)"
[ -x "$pgbench" ] || die "pgbench not found"
export PGHOST="$STATESYS_DB_HOST" PGPORT="$STATESYS_DB_PORT" PGUSER="$STATESYS_DB_USER" PGPASSWORD="$STATESYS_DB_PASSWORD"
work="$(mktemp -d)"
trap 'psql -q -d postgres -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1; rm -rf "$work"' EXIT
psql -q -d postgres -c "CREATE DATABASE $db"

cat > "$work/setup.sql" <<'SQL'
SET client_min_messages = warning;
DROP TABLE IF EXISTS client_identity, enrolment_token_registrations, enrolment_token;
CREATE TABLE enrolment_token (id bigserial PRIMARY KEY, secret_hash bytea NOT NULL, created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL, revoked_at timestamptz, registrations integer NOT NULL DEFAULT 0);
CREATE TABLE client_identity (client_id uuid PRIMARY KEY, netbios_name text, public_key bytea NOT NULL, key_fingerprint text NOT NULL,
    status text NOT NULL, registered_at timestamptz NOT NULL DEFAULT now(), approved_at timestamptz,
    approved_by_token bigint REFERENCES enrolment_token (id));
CREATE TABLE enrolment_token_registrations (token_id bigint NOT NULL, shard smallint NOT NULL, registrations bigint NOT NULL,
    PRIMARY KEY (token_id, shard)) WITH (fillfactor = 50);
INSERT INTO enrolment_token (secret_hash, expires_at) VALUES ('\x00', now() + interval '1 day');
SQL
# the relay's statements: the token looked up, the client locked, the identity inserted, the count
common='\set n random(1, 1000000000)
SELECT secret_hash FROM enrolment_token WHERE id = 1 AND revoked_at IS NULL AND expires_at > now();
BEGIN;
SELECT client_id FROM client_identity WHERE client_id = md5(:n::text || :client_id)::uuid FOR UPDATE;
INSERT INTO client_identity (client_id, public_key, key_fingerprint, status, approved_at, approved_by_token)
    VALUES (md5(:n::text || :client_id)::uuid, '"'"'\x0102'"'"', '"'"'fp'"'"', '"'"'approved'"'"', now(), 1) ON CONFLICT DO NOTHING;'
printf '%s\nUPDATE enrolment_token SET registrations = registrations + 1 WHERE id = 1;\nCOMMIT;\n' "$common" > "$work/before.sql"
printf '%s\nINSERT INTO enrolment_token_registrations AS r (token_id, shard, registrations) VALUES (1, :n %% 16, 1)\n    ON CONFLICT (token_id, shard) DO UPDATE SET registrations = r.registrations + 1;\nCOMMIT;\n' "$common" > "$work/after.sql"

postmaster="$(postmaster_of "$db")"
multixacts() { psql -Atd "$db" -c "CHECKPOINT" -c "SELECT next_multixact_id FROM pg_control_checkpoint()" | tail -1; }

printf '%-7s %14s %12s %18s %11s\n' shape registrations/s wall "PostgreSQL CPU" MultiXacts
for run in $(seq 1 "$runs"); do
  for shape in before after; do
    psql -qd "$db" -f "$work/setup.sql"
    [ "$shape" = after ] && psql -qd "$db" -c "ALTER TABLE client_identity DROP CONSTRAINT client_identity_approved_by_token_fkey"
    m0="$(multixacts)" c0="$(postmaster_cpu "$postmaster")" s0="$(date +%s%N)"
    rate="$("$pgbench" -n -c "$conns" -j 2 -t $((total / conns)) -f "$work/$shape.sql" "$db" | sed -n 's/^tps = \([0-9.]*\).*/\1/p')"
    s1="$(date +%s%N)"
    backends_gone "$db"
    c1="$(postmaster_cpu "$postmaster")"
    m1="$(multixacts)"
    printf '%-7s %14.0f %10.1f s %13.1f s %11d   (%d registrations, run %d)\n' "$shape" "$rate" \
      "$(echo "($s1 - $s0) / 1000000000" | bc -l)" "$(echo "$c1 - $c0" | bc -l)" $((m1 - m0)) "$total" "$run"
  done
done
