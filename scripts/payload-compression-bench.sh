#!/usr/bin/env bash
# What compressing the inbox payload costs PostgreSQL, pglz (the default) against lz4 (V15). Real
# payloads: the relay stores N signed 50-message reports from the simulator (`./statesys up` on a
# database of its own, with the loaders not started, so the reports stay in the inbox); then each
# method compresses all of them ten times over (`INSERT … SELECT payload || '\x00'`: a new value,
# so the target column's method compresses it afresh, as the relay's inserts do). Prints the insert
# time per method and round (one backend, CPU-bound), WAL bytes and the stored size per report,
# and the time to read everything back (decompression).
# usage: scripts/payload-compression-bench.sh [reports, default 5000] [rounds, default 3]
# Needs the local PostgreSQL with lz4 (Debian's has it) and no services of `./statesys up` running.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
reports="${1:-5000}" rounds="${2:-3}"
export STATESYS_DB_NAME="statesys_payload_bench_$$"
export PGHOST="$STATESYS_DB_HOST" PGPORT="$STATESYS_DB_PORT" PGUSER="$STATESYS_DB_USER" PGPASSWORD="$STATESYS_DB_PASSWORD"
for s in mp-relay-service state-processor-service; do
  running "$s" && die "$s is running: stop it first (./statesys down)"
done
trap '"$ROOT/statesys" down >/dev/null 2>&1 || true; psql -q -d postgres -c "DROP DATABASE IF EXISTS $STATESYS_DB_NAME" >/dev/null 2>&1' EXIT

STATESYS_LOADER_AUTO_START=false "$ROOT/statesys" up >/dev/null
"$ROOT/statesys" bench relay --reports "$reports" --messages 50 --concurrency 8 | sed -n '1p'
"$ROOT/statesys" down >/dev/null
sql() { psql -qAt -d "$STATESYS_DB_NAME" "$@"; }
sql -c "CREATE TABLE sample AS SELECT payload FROM inbox" \
    -c "CREATE TABLE t_pglz (payload bytea COMPRESSION pglz)" -c "CREATE TABLE t_lz4 (payload bytea COMPRESSION lz4)"
echo "payloads: $(sql -c "SELECT count(*) || ' reports, ' || avg(octet_length(payload))::int || ' bytes each uncompressed' FROM sample")"
printf '%-6s %5s %12s %14s %16s %12s\n' method round "insert ms" "WAL B/report" "stored B/report" "read ms"
for round in $(seq 1 "$rounds"); do
  for m in pglz lz4; do
    sql <<SQL | { IFS='|' read -r ins wal stored read_ms; printf '%-6s %5s %12s %14s %16s %12s\n' "$m" "$round" "$ins" "$wal" "$stored" "$read_ms"; }
TRUNCATE t_$m;
CHECKPOINT;
SELECT pg_current_wal_insert_lsn() AS l0, clock_timestamp() AS t0 \gset
INSERT INTO t_$m SELECT payload || '\x00'::bytea FROM sample, generate_series(1, 10);
SELECT round(extract(epoch FROM clock_timestamp() - :'t0') * 1000) AS ins_ms,
       round(pg_wal_lsn_diff(pg_current_wal_insert_lsn(), :'l0') / (10 * $reports)) AS wal_b,
       clock_timestamp() AS t1 \gset
SELECT sum(length(payload)) FROM t_$m \g /dev/null
SELECT :'ins_ms', :'wal_b', (SELECT avg(pg_column_size(payload))::int FROM t_$m),
       round(extract(epoch FROM clock_timestamp() - :'t1') * 1000);
SQL
  done
done
