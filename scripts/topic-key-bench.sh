#!/usr/bin/env bash
# The latest state's upsert in isolation, before and after migrations V14 and V20: "text" is V11's key
# (client_id, site_code, topic_type, topic_id), "key" is V14's (client_id, site_code, topic_key)
# with its check constraint and the collision guard in the upsert, "keyed" the same with V20's
# topic key (SHA-256 over a secret, the type and the id) in place of PostgreSQL's public hash. Both tables carry the topic index
# the summaries read. Each run upserts, in statements of 2,500 rows (a chunk of 50 reports of 50
# messages: 50 clients at a time, in arrival order), first N clients × 50 new topics (inserts), then
# the same topics with new states (updates that move the state, so not HOT). Prints the wall time,
# PostgreSQL's CPU (lib.sh's postmaster_cpu) and the sizes of the table and its indexes.
# usage: scripts/topic-key-bench.sh [clients, default 20000] [runs each, default 2]
# Needs psql and /proc of the PostgreSQL server (same machine).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
clients="${1:-20000}" runs="${2:-2}" topics=50 chunk=2500
db="statesys_topic_key_bench_$$"
export PGHOST="$STATESYS_DB_HOST" PGPORT="$STATESYS_DB_PORT" PGUSER="$STATESYS_DB_USER" PGPASSWORD="$STATESYS_DB_PASSWORD"
work="$(mktemp -d)"
trap 'psql -q -d postgres -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1; rm -rf "$work"' EXIT
psql -q -d postgres -c "CREATE DATABASE $db"

psql -qd "$db" <<SQL
CREATE FUNCTION topic_key(topic_type integer, topic_id text) RETURNS bigint
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS \$\$ SELECT hashtextextended(topic_id, topic_type) \$\$;
-- V20's shape, with a secret drawn here
CREATE FUNCTION topic_key_keyed(topic_type integer, topic_id text) RETURNS bigint
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS \$\$ SELECT ('x' || encode(substr(sha256('\\x$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')'::bytea
        || int4send(topic_type) || decode(replace(topic_id, '\\', '\\\\'), 'escape')), 1, 8), 'hex'))::bit(64)::bigint \$\$;
CREATE FUNCTION topic_key_collision(uuid, integer, text, integer, text) RETURNS boolean
    LANGUAGE plpgsql VOLATILE AS \$\$ BEGIN RAISE EXCEPTION 'topic key collision'; END \$\$;
-- arrival order: client by client, 50 clients to a chunk; the topics are updates' GUIDs
CREATE TABLE src AS
SELECT row_number() OVER (ORDER BY c, t) AS seq, md5(c::text)::uuid AS client_id, 402 AS topic_type,
       '{' || upper(md5('kb' || t)::uuid::text) || '}' AS topic_id, t AS serial
FROM generate_series(1, $clients) c, generate_series(1, $topics) t;
ALTER TABLE src ADD PRIMARY KEY (seq);
ANALYZE src;
SQL

setup() {
  local key fn
  fn="$(key_function "$1")"
  if [ "$1" = text ]; then key="PRIMARY KEY (client_id, site_code, topic_type, topic_id)"
  else key="topic_key bigint NOT NULL CHECK (topic_key = $fn(topic_type, topic_id)), PRIMARY KEY (client_id, site_code, topic_key)"; fi
  psql -qd "$db" -c "SET client_min_messages = warning" -c "DROP TABLE IF EXISTS topic_state" -c "CREATE TABLE topic_state (
      client_id uuid NOT NULL, site_code text NOT NULL DEFAULT 'S01', topic_type integer NOT NULL, topic_id text NOT NULL,
      id_type integer NOT NULL, state_id integer NOT NULL, criticality integer NOT NULL DEFAULT 0,
      message_time timestamptz NOT NULL, serial_number bigint, user_params jsonb NOT NULL DEFAULT '[]',
      updated_at timestamptz NOT NULL DEFAULT now(), $key) WITH (fillfactor = 90)" \
    -c "CREATE INDEX topic_state_by_topic ON topic_state (topic_type, topic_id, state_id) INCLUDE (client_id, site_code)" \
    -c "CHECKPOINT"
}

key_function() { if [ "$1" = keyed ]; then echo topic_key_keyed; else echo topic_key; fi; }

# the shape of the loader's statement (LoaderStore.UPSERT_STATE: its key, conflict target and guard),
# with fewer columns, fed from src instead of arrays
statements() {
  local shape="$1" phase="$2" state serial cols vals conflict guard i
  if [ "$phase" = insert ]; then state=8 serial="serial"; else state=10 serial="serial + 1000"; fi
  if [ "$shape" = text ]; then
    cols="client_id, topic_type, topic_id" vals="client_id, topic_type, topic_id" conflict="client_id, site_code, topic_type, topic_id" guard="true"
  else
    cols="client_id, topic_type, topic_id, topic_key" vals="client_id, topic_type, topic_id, $(key_function "$shape")(topic_type, topic_id)"
    conflict="client_id, site_code, topic_key" guard="t.topic_type = excluded.topic_type AND t.topic_id = excluded.topic_id"
  fi
  for ((i = 0; i < clients * topics; i += chunk)); do
    cat <<SQL
INSERT INTO topic_state AS t ($cols, id_type, state_id, message_time, serial_number, updated_at)
SELECT $vals, 3, $state, timestamptz '2026-12-01' + ($serial) * interval '1 s', $serial, now() FROM src WHERE seq > $i AND seq <= $((i + chunk))
ON CONFLICT ($conflict) DO UPDATE SET state_id = excluded.state_id, message_time = excluded.message_time,
    serial_number = excluded.serial_number, updated_at = excluded.updated_at
WHERE CASE WHEN $guard THEN (excluded.message_time, excluded.serial_number) > (t.message_time, t.serial_number)
      ELSE topic_key_collision(t.client_id, t.topic_type, t.topic_id, excluded.topic_type, excluded.topic_id) END;
SQL
  done
}
for shape in text key keyed; do for phase in insert update; do statements "$shape" "$phase" > "$work/$shape-$phase.sql"; done; done

postmaster="$(postmaster_of "$db")"
printf '%-5s %-7s %9s %16s %8s %8s %11s   (%d rows per phase)\n' key phase wall "PostgreSQL CPU" table "key ix" "topic ix" $((clients * topics))
for run in $(seq 1 "$runs"); do
  for shape in text key keyed; do
    setup "$shape"
    for phase in insert update; do
      c0="$(postmaster_cpu "$postmaster")" s0="$(date +%s%N)"
      psql -qd "$db" -v ON_ERROR_STOP=1 -f "$work/$shape-$phase.sql" > /dev/null
      s1="$(date +%s%N)"
      backends_gone "$db"
      c1="$(postmaster_cpu "$postmaster")"
      sizes="$(psql -Atd "$db" -c "SELECT pg_relation_size(r) / 1048576 || 'MB' FROM unnest(array['topic_state', 'topic_state_pkey', 'topic_state_by_topic']::regclass[]) AS r" | tr '\n' ' ')"
      read -r heap pk bytopic <<< "$sizes"
      printf '%-5s %-7s %7.1f s %14.1f s %8s %8s %11s   (run %d)\n' "$shape" "$phase" \
        "$(echo "($s1 - $s0) / 1000000000" | bc -l)" "$(echo "$c1 - $c0" | bc -l)" "$heap" "$pk" "$bytopic" "$run"
    done
  done
done
