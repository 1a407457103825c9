#!/usr/bin/env bash
# ./statesys drill [--long] [--clients N] [--keep]: the recovery drill, as an operator runs it monthly
# (docs/operating.md, "Backup and recovery").
#
# A site of its own (PostgreSQL cluster statesys_drill on DRILL_PORT, 5447; services on 19181-19184)
# under simulated load: a full backup before the load, an incremental one under it, a moment T noted,
# more load; then the four services are stopped, the database restored to T into a new cluster
# (statesys_drill_restored, port 5448) with ./statesys restore, and the services started on it while
# the clients keep running with everything they hold. The restored site has lost what arrived after
# T; the clients' next reports show serial gaps, the resync service asks them to resend, and after
# that round the simulator's audit must be exact: every client's statistics and missing ranges are
# what the restored site kept of its deliveries plus what came after, and every latest state each
# client holds is in the database — nothing a client sent is lost, even what arrived after T.
#
#   short form (default, run by CI): 1,000 clients on a 4-second cycle, 120 s of load (the load goes on
#                                    after the restored site opens, whatever the outage took); ~4 minutes
# After the load every client makes one more report (its next cycle), so that a client whose last
# reports were lost with the restore shows its gap too.
#   --long:                          10,000 clients on a 10-second cycle, 150 s of load (the figures in
#                                    docs/performance.md)
#   --clients N                      another number of clients
#   --keep                           leave both clusters and the drill's stanza for inspection
# Prints the backup and restore times, the resync round (requests issued, time until whole) and the
# audit; exit 1 unless the audit is exact and the site whole.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"

LONG=0 KEEP=0 CLIENTS=""
while [ $# -gt 0 ]; do
  case "$1" in
    --long) LONG=1 ;;
    --clients) CLIENTS="$2"; shift ;;
    --keep) KEEP=1 ;;
    -h|--help) sed -n '2,25p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "drill: unknown option $1 (see --help)" ;;
  esac
  shift
done
if [ "$LONG" = 1 ]; then
  CLIENTS="${CLIENTS:-10000}" INTERVAL=PT10S DURATION=PT150S
else
  CLIENTS="${CLIENTS:-1000}" INTERVAL=PT4S DURATION=PT120S
fi

PG_VERSION="$(ls /etc/postgresql 2>/dev/null | sort -V | tail -1 || true)"
SOURCE=statesys_drill RESTORED=statesys_drill_restored
SOURCE_PORT="${DRILL_PORT:-5447}" RESTORED_PORT="${DRILL_RESTORED_PORT:-5448}"
STANZA=statesys_drill
BASE=19180
RELAY=$((BASE + 1)) FSP=$((BASE + 2)) PROCESSOR=$((BASE + 3)) RESYNC=$((BASE + 4))
DIR="$RUN_DIR/drill"
MARKS="$DIR/marks"
# the drill's clusters are on this machine whatever database the services normally use
export STATESYS_DB_HOST=127.0.0.1 STATESYS_DB_NAME=statesys STATESYS_BACKUP_STANZA="$STANZA"

port_of() {
  case "$1" in
    mp-relay-service) echo "$RELAY" ;; fallback-status-service) echo "$FSP" ;;
    state-processor-service) echo "$PROCESSOR" ;; resync-service) echo "$RESYNC" ;;
  esac
}
SERVICES=(mp-relay-service fallback-status-service state-processor-service resync-service)

# gaps are asked about at once, and checked every 5 s: the drill measures the round, not the waiting
start_services() {
  local svc
  for svc in "${SERVICES[@]}"; do
    (STATESYS_DB_PORT="$1" STATESYS_FSP_RELAY_URL="http://127.0.0.1:$RELAY" \
      STATESYS_FSP_THROTTLE_MESSAGES=5000 STATESYS_FSP_THROTTLE_INTERVAL=1s \
      STATESYS_RESYNC_MIN_MISSING_MESSAGE_AGE=0m STATESYS_RESYNC_CHECK_INTERVAL=5s \
      start_jar "$svc" "$(port_of "$svc")" "$DIR/$svc.$2.log" "drill-$svc")
  done
  local deadline=$((SECONDS + 120))
  for svc in "${SERVICES[@]}"; do
    until http_ok "$(port_of "$svc")" /q/health/ready; do
      [ $SECONDS -lt $deadline ] && running "drill-$svc" || die "drill: $svc did not become ready (log: .statesys/drill/$svc.$2.log)"
      sleep 0.25
    done
  done
}

stop_services() {
  local svc p
  for svc in "${SERVICES[@]}"; do p="$(pid_of "drill-$svc")"; [ -n "$p" ] && kill "$p" 2>/dev/null || true; done
  for svc in "${SERVICES[@]}"; do
    p="$(pid_of "drill-$svc")"
    for _ in $(seq 1 80); do [ -n "$p" ] && kill -0 "$p" 2>/dev/null || break; sleep 0.25; done
    [ -n "$p" ] && kill -9 "$p" 2>/dev/null || true
    rm -f "$RUN_DIR/drill-$svc.pid"
  done
}

drop_drill() {
  "$ROOT/scripts/backup.sh" restore --drop "$RESTORED"
  "$ROOT/scripts/backup.sh" restore --drop "$SOURCE"
  "$ROOT/scripts/backup.sh" forget
}

cleanup() {
  stop_services
  [ -n "${SIM:-}" ] && kill "$SIM" 2>/dev/null || true
  [ -n "${WATCH:-}" ] && kill "$WATCH" 2>/dev/null || true
  if [ "$KEEP" = 0 ]; then drop_drill; fi
}
trap cleanup EXIT

now_iso() { date -u +%Y-%m-%dT%H:%M:%S.%3NZ; }

# --- the site ---------------------------------------------------------------------------------
ensure_tools
ensure_postgres
build_if_missing
ensure_run_secrets
mkdir -p "$DIR"
rm -f "$MARKS" "$DIR"/*.log
drop_drill
log "drill: cluster $SOURCE on port $SOURCE_PORT, services on $RELAY-$RESYNC, $CLIENTS clients (logs in .statesys/drill/)"
as_root pg_createcluster "$PG_VERSION" "$SOURCE" -p "$SOURCE_PORT" >/dev/null
as_root pg_conftool "$PG_VERSION" "$SOURCE" set max_connections 200
as_root pg_ctlcluster --skip-systemctl-redirect "$PG_VERSION" "$SOURCE" start
as_postgres "psql -p $SOURCE_PORT -q -c \"ALTER ROLE $STATESYS_DB_USER WITH LOGIN SUPERUSER PASSWORD '$STATESYS_DB_PASSWORD'\" -c 'CREATE DATABASE statesys'" 2>/dev/null \
  || as_postgres "psql -p $SOURCE_PORT -q -c \"CREATE ROLE $STATESYS_DB_USER WITH LOGIN SUPERUSER PASSWORD '$STATESYS_DB_PASSWORD'\" -c 'CREATE DATABASE statesys'"

t=$SECONDS
STATESYS_DB_PORT="$SOURCE_PORT" "$ROOT/scripts/backup.sh" --type full >"$DIR/backup-full.log" 2>&1 || { cat "$DIR/backup-full.log" >&2; die "drill: the first backup failed"; }
log "drill: WAL archiving on, first full backup in $((SECONDS - t)) s"
start_services "$SOURCE_PORT" site

# --- the load, a backup under it, T, more load -------------------------------------------------
exec_sim simulate --scenario steady --clients "$CLIENTS" --interval "$INTERVAL" --duration "$DURATION" --seed 301 --concurrency 16 \
  --relay "http://127.0.0.1:$RELAY" --fsp "http://127.0.0.1:$FSP" --processor "http://127.0.0.1:$PROCESSOR" \
  --resync "http://127.0.0.1:$RESYNC" --admin-token "$STATESYS_ADMIN_TOKEN" \
  --jdbc "jdbc:postgresql://127.0.0.1:$RESTORED_PORT/statesys" --db-user "$STATESYS_DB_USER" --db-password "$STATESYS_DB_PASSWORD" \
  --site-restore "$MARKS" --drain-timeout PT10M --settle-timeout PT15M >"$DIR/simulate.log" 2>&1 &
SIM=$!
deadline=$((SECONDS + 300))
until grep -q 'accepted .*/s' "$DIR/simulate.log" 2>/dev/null; do
  [ $SECONDS -lt $deadline ] && kill -0 "$SIM" 2>/dev/null || { cat "$DIR/simulate.log" >&2; die "drill: the simulator never started sending"; }
  sleep 0.2
done
sleep 5
t=$SECONDS
STATESYS_DB_PORT="$SOURCE_PORT" "$ROOT/scripts/backup.sh" --type incr >"$DIR/backup-incr.log" 2>&1 || { cat "$DIR/backup-incr.log" >&2; die "drill: the backup under load failed"; }
BACKUP_S=$((SECONDS - t))
log "drill: incremental backup under load in $BACKUP_S s"
sleep 5
T_ISO="$(now_iso)"
T_PG="$(date -u -d "$T_ISO" '+%Y-%m-%d %H:%M:%S.%3N+00')"
echo "restore-point=$T_ISO" >>"$MARKS"
log "drill: T = $T_ISO; $(pg_at "$SOURCE_PORT" statesys "select count(*) from topic_state") latest states at the site"
sleep 8

# --- the site fails; restore to T; the services on the restored database ------------------------
OUTAGE_T0=$SECONDS
stop_services
before="$(pg_at "$SOURCE_PORT" statesys "select count(*) from topic_state")"
log "drill: the services stopped ($before latest states at the old site); restoring to T"
t=$SECONDS
STATESYS_DB_PORT="$SOURCE_PORT" "$ROOT/scripts/backup.sh" restore --to "$T_PG" --into "$RESTORED" --port "$RESTORED_PORT" \
  >"$DIR/restore.log" 2>&1 || { cat "$DIR/restore.log" >&2; die "drill: the restore failed"; }
RESTORE_S=$((SECONDS - t))
as_root pg_ctlcluster --skip-systemctl-redirect "$PG_VERSION" "$SOURCE" stop -m fast
after="$(pg_at "$RESTORED_PORT" statesys "select count(*) from topic_state")"
log "drill: restored to T in $RESTORE_S s ($after latest states); starting the services on it"
echo "old-site-stopped=$(now_iso)" >>"$MARKS"
t=$SECONDS
start_services "$RESTORED_PORT" restored
OUTAGE_S=$((SECONDS - OUTAGE_T0))
log "drill: the site takes reports again $OUTAGE_S s after it stopped (services ready in $((SECONDS - t)) s)"
# from outside, once a second: clients not heard from since the reopening, clients with a gap (or first
# heard from after the restore and not yet asked), outstanding requests, requests in all
watch_round() {
  local t0=$SECONDS
  while :; do
    echo "$((SECONDS - t0)) $(pg_at "$RESTORED_PORT" statesys "SELECT
      (SELECT count(*) FROM client_message_stats WHERE last_seen < (SELECT max(restored_at) FROM site_restore)) || ' ' ||
      ((SELECT count(DISTINCT client_id) FROM missing_range) + (SELECT count(*) FROM client_message_stats s WHERE s.lowest_serial > 1
        AND s.last_resync_issued_time IS NULL AND s.first_seen >= (SELECT max(restored_at) FROM site_restore))) || ' ' ||
      (SELECT count(*) FROM resync_request WHERE completed_at IS NULL) || ' ' || (SELECT count(*) FROM resync_request)" 2>/dev/null)"
    sleep 1
  done
}
watch_round >"$DIR/round.log" &
WATCH=$!

# --- the resync round, the audit -----------------------------------------------------------------
rc=0
wait "$SIM" || rc=$?
SIM=""
kill "$WATCH" 2>/dev/null || true
# the first second at which every client had reported to the restored site and none had a gap or an
# outstanding request: the site exact again (the audit below proves it)
WHOLE="$(awk 'NF == 5 && $2 == 0 && $3 == 0 && $4 == 0 {print $1; exit}' "$DIR/round.log")"
REQUESTS="$(awk 'NF == 5 {r = $5} END {print r + 0}' "$DIR/round.log")"
PEAK="$(awk 'NF == 5 && $4 > p {p = $4} END {print p + 0}' "$DIR/round.log")"
grep -E '^(resync round|registration):' "$DIR/simulate.log" | sed 's/^/  /' >&2 || true
result="$(grep '^result ' "$DIR/simulate.log" | tail -1 || true)"
f() { echo "$result" | sed -n "s/.* $1=\([^ ]*\).*/\1/p"; }
round="$(grep '^resync round:' "$DIR/simulate.log" | tail -1 || true)"
echo
printf '%-8s %-9s %-9s %-10s %-9s %-9s %-12s %-14s %s\n' clients accepted "backup s" "restore s" "outage s" requests "peak outst." "exact after s" audit
printf '%-8s %-9s %-9s %-10s %-9s %-9s %-12s %-14s %s\n' "$CLIENTS" "$(f accepted)" "$BACKUP_S" "$RESTORE_S" "$OUTAGE_S" "$REQUESTS" "$PEAK" \
  "${WHOLE:-never}" "$(f audit)"
echo "(exact after: seconds from the restored site taking reports until every client had reported to it and none had a gap"
echo " or an outstanding resync request; storm cap ${STATESYS_RESYNC_MAX_PER_CHECK:-5000} requests per check, a check every 5 s)"
if [ "$rc" != 0 ] || [ "$(f audit)" != exact ] || ! echo "$round" | grep -q ': whole' || [ -z "$WHOLE" ]; then
  log "drill: FAILED (log: .statesys/drill/simulate.log)"
  grep -A 20 'audit ' "$DIR/simulate.log" | head -25 >&2 || true
  exit 1
fi
log "drill: passed — restored to T, resynchronised, exact"
