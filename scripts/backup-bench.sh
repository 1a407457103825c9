#!/usr/bin/env bash
# ./statesys backup bench [--clients N] [--states-per-client M]: what a backup and a restore cost per
# million latest states (figures: docs/performance.md, "Dependability").
#
# A cluster of its own (statesys_backup_bench, port 5449, WAL archived into the stanza
# statesys_backup_bench) seeded as the console bench seeds a site (N clients, default 50,000, with M
# latest states each, default 20: one million; identities, gaps, resyncs), then: a full backup (time,
# database size, size in the repository), an incremental one after 1 % of the states changed, a
# restore to a point between them into a new cluster (time until it takes writes), and the same per
# million latest states. Everything it made is removed at the end.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"

CLIENTS=50000 PER_CLIENT=20
while [ $# -gt 0 ]; do
  case "$1" in
    --clients) CLIENTS="$2"; shift ;;
    --states-per-client) PER_CLIENT="$2"; shift ;;
    -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "backup bench: unknown option $1" ;;
  esac
  shift
done

PG_VERSION="$(ls /etc/postgresql | sort -V | tail -1)"
NAME=statesys_backup_bench RESTORED=statesys_backup_bench_restored PORT=5449 RESTORED_PORT=5458 SVC_PORT=18194
export STATESYS_DB_HOST=127.0.0.1 STATESYS_BACKUP_STANZA=statesys_backup_bench STATESYS_DB_NAME=statesys
DIR="$RUN_DIR/backup-bench"

cleanup() {
  local p; p="$(pid_of backup-bench)"; [ -n "$p" ] && kill "$p" 2>/dev/null || true
  "$ROOT/scripts/backup.sh" restore --drop "$RESTORED"
  "$ROOT/scripts/backup.sh" restore --drop "$NAME"
  "$ROOT/scripts/backup.sh" forget
  return 0
}
trap cleanup EXIT

ensure_tools
ensure_postgres
build_if_missing
ensure_run_secrets
mkdir -p "$DIR"
cleanup
as_root pg_createcluster "$PG_VERSION" "$NAME" -p "$PORT" >/dev/null
# the settings ./statesys up reports for this machine's main cluster, so that the figures compare
for k in shared_buffers max_wal_size checkpoint_timeout; do
  v="$(pg_admin -tAc "show $k")"; as_root pg_conftool "$PG_VERSION" "$NAME" set "$k" "$v"
done
as_root pg_ctlcluster --skip-systemctl-redirect "$PG_VERSION" "$NAME" start
as_postgres "psql -p $PORT -q -c \"ALTER ROLE $STATESYS_DB_USER WITH LOGIN SUPERUSER PASSWORD '$STATESYS_DB_PASSWORD'\" -c 'CREATE DATABASE statesys'"
STATESYS_DB_PORT=$PORT "$ROOT/scripts/backup.sh" --type full >"$DIR/first-backup.log" 2>&1 || { cat "$DIR/first-backup.log" >&2; die "backup bench: archiving could not be set up"; }

log "backup bench: seeding $CLIENTS clients × $PER_CLIENT latest states (the console bench's site)"
STATESYS_DB_PORT=$PORT STATESYS_CONSOLE_RELAY_URL="http://127.0.0.1:1" STATESYS_CONSOLE_FSP_URL="http://127.0.0.1:1" \
  STATESYS_CONSOLE_PROCESSOR_URL="http://127.0.0.1:1" start_jar resync-service "$SVC_PORT" "$DIR/resync-service.log" backup-bench
wait_ready backup-bench "$SVC_PORT"
run_sim bench console --resync "http://127.0.0.1:$SVC_PORT" --token "$STATESYS_ADMIN_TOKEN" --clients "$CLIENTS" \
  --states-per-client "$PER_CLIENT" --requests 1 \
  --jdbc "jdbc:postgresql://127.0.0.1:$PORT/statesys" --db-user "$STATESYS_DB_USER" --db-password "$STATESYS_DB_PASSWORD" \
  >"$DIR/seed.log" 2>&1 || { tail -20 "$DIR/seed.log" >&2; die "backup bench: seeding failed"; }
kill "$(pid_of backup-bench)"; rm -f "$RUN_DIR/backup-bench.pid"

states="$(pg_at "$PORT" statesys "select count(*) from topic_state")"
db_bytes="$(pg_at "$PORT" statesys "select pg_database_size('statesys')")"
stored() {
  local j
  j="$(as_postgres "pgbackrest --stanza=$STATESYS_BACKUP_STANZA --output=json info")"
  PGPASSWORD="$STATESYS_DB_PASSWORD" psql -q -h 127.0.0.1 -p "$PORT" -U "$STATESYS_DB_USER" -d postgres -tA -v "j=$j" <<'SQL'
SELECT (:'j'::json)->0->'backup'->-1->'info'->'repository'->>'delta';
SQL
}

t0=$(date +%s%N)
STATESYS_DB_PORT=$PORT "$ROOT/scripts/backup.sh" --type full >"$DIR/full.log" 2>&1
full_s=$(( ($(date +%s%N) - t0) / 1000000 ))
full_stored="$(stored)"

# 1 % of the latest states change, then a point, then more changes
q $PORT "UPDATE topic_state SET state_id = state_id % 5 + 1, updated_at = now() WHERE (hashtext(client_id::text) & 127) < 1" >/dev/null
q $PORT "UPDATE topic_state SET state_id = state_id % 5 + 1 WHERE (hashtext(client_id::text) & 127) = 1" >/dev/null
sleep 1
point="$(date -u '+%Y-%m-%d %H:%M:%S.%3N+00')"
expected="$(pg_at "$PORT" statesys "select sum(state_id) from topic_state")"
sleep 1
q $PORT "UPDATE topic_state SET state_id = state_id % 5 + 1 WHERE (hashtext(client_id::text) & 127) = 2" >/dev/null
t0=$(date +%s%N)
STATESYS_DB_PORT=$PORT "$ROOT/scripts/backup.sh" --type incr >"$DIR/incr.log" 2>&1
incr_s=$(( ($(date +%s%N) - t0) / 1000000 ))
incr_stored="$(stored)"

t0=$(date +%s%N)
STATESYS_DB_PORT=$PORT "$ROOT/scripts/backup.sh" restore --to "$point" --into "$RESTORED" --port "$RESTORED_PORT" >"$DIR/restore.log" 2>&1 \
  || { cat "$DIR/restore.log" >&2; die "backup bench: the restore failed"; }
restore_s=$(( ($(date +%s%N) - t0) / 1000000 ))
got="$(pg_at "$RESTORED_PORT" statesys "select sum(state_id) from topic_state")"
[ "$got" = "$expected" ] || die "backup bench: the restored site does not hold the states of the point ($got, expected $expected)"
repo_bytes="$(du -sb "${STATESYS_BACKUP_REPO:-/var/lib/pgbackrest}" | cut -f1)"

per_m() { awk -v v="$1" -v n="$states" 'BEGIN { printf "%.1f", v / (n / 1e6) }'; }
mb() { awk -v v="$1" 'BEGIN { printf "%.0f", v / 1048576 }'; }
echo
printf '%-14s %-10s %-14s %-16s %-14s %-16s %s\n' "latest states" "db MB" "full backup s" "full stored MB" "incr backup s" "restore to T s" "(per million latest states: full s / stored MB / restore s)"
printf '%-14s %-10s %-14s %-16s %-14s %-16s %s\n' "$states" "$(mb "$db_bytes")" "$(awk -v v=$full_s 'BEGIN{printf "%.1f", v/1000}')" \
  "$(mb "$full_stored")" "$(awk -v v=$incr_s 'BEGIN{printf "%.1f", v/1000}')" "$(awk -v v=$restore_s 'BEGIN{printf "%.1f", v/1000}')" \
  "$(per_m "$(awk -v v=$full_s 'BEGIN{print v/1000}')") s / $(per_m "$(mb "$full_stored")") MB / $(per_m "$(awk -v v=$restore_s 'BEGIN{print v/1000}')") s"
echo "incremental after 3 % of the states changed: $(mb "$incr_stored") MB stored; repository in all (both backups + WAL): $(mb "$repo_bytes") MB"
echo "restored to $point: the states of that moment, exactly (checksum of every state id)"
