#!/usr/bin/env bash
# ./statesys chaos [--long] [--only a,b] [--keep]: the fault suite, as an operator would run it.
#
# Starts the four services on their own database and ports (19081-19084), then for each scenario
# runs the client simulator (with its exact audit) while a fault is injected, and prints one row
# per scenario: messages sent / accepted / processed, 5xx answers seen (503 is the contract's
# "try again"; any other 5xx is a defect), the time the system took to recover, and the audit.
# Exit 1 on any lost or double-counted message, any 5xx other than 503, or a service that does not
# recover. Traffic stays on 127.0.0.1 and every scenario is bounded in clients and time.
#
#   short form (default, run by CI): 1,500 steady clients on a 4-second cycle, 30 s per scenario,
#                                    about 5 minutes in all
#   --long:                          10,000 clients, 90 s per scenario, the processor killed in the
#                                    middle of a 600,000-message Patch Tuesday burst; ~15 minutes
#   --only NAMES                     a comma-separated subset of the scenario names below
#   --keep                           leave the database (statesys_chaos_…) for inspection
#   --ha                             on the high-availability cluster (scripts/ha.sh, started if it is
#                                    not): the database faults below instead; with --long the leader is
#                                    killed ten times in a row
#   --leader-kills N                 (--ha) the leader killed N times in a row, at the form's load
#   --switchovers N                  (--ha) N planned switchovers in a row, at the form's load
#
# Scenarios: processor-kill, postgres-restart, relay-kill, faulty-clients, connection-exhaustion,
# floods. postgres-restart stops and starts the local cluster with pg_ctlcluster (needs root or
# sudo) and is skipped when the database is not a local Debian cluster.
# With --ha: leader-kill (kill -9 of the leader's postmaster), leader-stop (the leader's Patroni
# stopped cleanly), switchover (planned, POST /switchover to the leader), sync-standby-kill (the synchronous
# standby's Patroni and PostgreSQL killed), etcd-member-kill (one of three etcd members killed),
# leader-isolated (the leader's Patroni cut from etcd: it demotes itself, another takes over),
# hierarchy-failover (a central site replicating from this one while its leader is killed: it must
# end up exact without its subscription made again; the central cluster is scripts/hierarchy.sh's).
# Each row then also says how long after the fault writes were accepted again through the write
# endpoint ("writes s": a probe inserts every 100 ms; 0 = never refused).
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"

LONG=0 ONLY="" KEEP=0 HA=0 KILLS="" SWITCHOVERS=""
while [ $# -gt 0 ]; do
  case "$1" in
    --long) LONG=1 ;;
    --ha) HA=1 ;;
    --leader-kills) KILLS="$2"; shift ;;
    --switchovers) SWITCHOVERS="$2"; shift ;;
    --only) ONLY="$2"; shift ;;
    --keep) KEEP=1 ;;
    -h|--help) sed -n '2,33p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "chaos: unknown option $1 (see --help)" ;;
  esac
  shift
done

if [ "$LONG" = 1 ]; then
  CLIENTS=10000 INTERVAL=PT10S DURATION=PT90S FAULT_AT=20 OUTAGE=10 HOLD=20
  BURST=(--scenario patch-tuesday --clients 10000 --updates 20)
else
  CLIENTS=1500 INTERVAL=PT4S DURATION=PT30S FAULT_AT=8 OUTAGE=8 HOLD=12
  BURST=()
fi
STEADY=(--scenario steady --clients "$CLIENTS" --interval "$INTERVAL" --duration "$DURATION")
if [ "$HA" = 1 ]; then
  # the faults come from the cluster; the load is the steady one, on the write endpoint
  export STATESYS_DB_HOST=127.0.0.1 STATESYS_DB_PORT="${STATESYS_HA_WRITE_PORT:-5450}"
fi

BASE=19080
RELAY=$((BASE + 1)) FSP=$((BASE + 2)) PROCESSOR=$((BASE + 3)) RESYNC=$((BASE + 4))
DIR="$RUN_DIR/chaos"
DB="statesys_chaos_$(date +%Y%m%d%H%M%S)"
PG_VERSION="$(ls /etc/postgresql 2>/dev/null | sort -V | tail -1 || true)"
PG_STOPPED=0
FAILED=0
ROWS=()

port_of() {
  case "$1" in
    mp-relay-service) echo "$RELAY" ;; fallback-status-service) echo "$FSP" ;;
    state-processor-service) echo "$PROCESSOR" ;; resync-service) echo "$RESYNC" ;;
  esac
}

# The FSP forwards at 5,000 messages/s (the original's default, 10,000 an hour, would keep a
# relay outage's backlog for hours). A subshell, so that a kill -9 is not reported as a job.
start_service() {
  (STATESYS_DB_NAME="$DB" STATESYS_FSP_RELAY_URL="http://127.0.0.1:$RELAY" \
    STATESYS_FSP_THROTTLE_MESSAGES=5000 STATESYS_FSP_THROTTLE_INTERVAL=1s \
    start_jar "$1" "$(port_of "$1")" "$DIR/$1.$(date +%H%M%S).log" "chaos-$1")
}

kill9() { local p; p="$(pid_of "chaos-$1")"; [ -n "$p" ] && kill -9 "$p" 2>/dev/null || true; }

# await_ready SERVICE SECONDS: true once it answers ready; false if it died or the time ran out
await_ready() {
  local deadline=$((SECONDS + $2))
  while [ $SECONDS -lt $deadline ]; do
    http_ok "$(port_of "$1")" /q/health/ready && return 0
    running "chaos-$1" || return 1
    sleep 0.25
  done
  return 1
}

all_ready() {
  local svc
  for svc in mp-relay-service fallback-status-service state-processor-service resync-service; do
    await_ready "$svc" "$1" || { log "chaos: $svc did not become ready"; return 1; }
  done
}

now_ms() { date +%s%3N; }

pg_start() {
  [ "$PG_STOPPED" = 1 ] || return 0
  as_root pg_ctlcluster --skip-systemctl-redirect "$PG_VERSION" main start && PG_STOPPED=0
  for _ in $(seq 1 60); do pg_isready -q -h "$STATESYS_DB_HOST" -p "$STATESYS_DB_PORT" && break; sleep 0.5; done
}

cleanup() {
  pg_start || true
  [ "${HA:-0}" = 0 ] || stop_cas || true
  [ -n "${PROBE:-}" ] && kill "$PROBE" 2>/dev/null || true
  [ -n "${HOLDER:-}" ] && kill "$HOLDER" 2>/dev/null || true
  local svc
  for svc in mp-relay-service fallback-status-service state-processor-service resync-service; do
    local p; p="$(pid_of "chaos-$svc")"
    [ -n "$p" ] && kill "$p" 2>/dev/null || true
    rm -f "$RUN_DIR/chaos-$svc.pid"
  done
  [ -n "${SIM:-}" ] && kill "$SIM" 2>/dev/null || true
  if [ "$KEEP" = 0 ]; then pg_admin -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null 2>&1 || true; fi
}
trap cleanup EXIT

# start_sim NAME SEED ARGS…: the simulator in the background, its output in $DIR/NAME.log
start_sim() {
  local name="$1" seed="$2"; shift 2
  exec_sim simulate "$@" --seed "$seed" --concurrency 16 \
    --relay "http://127.0.0.1:$RELAY" --fsp "http://127.0.0.1:$FSP" --processor "http://127.0.0.1:$PROCESSOR" \
    --jdbc "jdbc:postgresql://$STATESYS_DB_HOST:$STATESYS_DB_PORT/$DB" --db-user "$STATESYS_DB_USER" --db-password "$STATESYS_DB_PASSWORD" \
    --resync "http://127.0.0.1:$RESYNC" --admin-token "$STATESYS_ADMIN_TOKEN" --drain-timeout PT5M >"$DIR/$name.log" 2>&1 &
  SIM=$!
}

# await_traffic NAME: until the clients are registered and sending (the progress lines start), plus SECONDS
await_traffic() {
  local deadline=$((SECONDS + 120))
  until grep -q 'accepted .*/s' "$DIR/$1.log" 2>/dev/null; do
    [ $SECONDS -lt $deadline ] && kill -0 "$SIM" 2>/dev/null || { log "chaos: $1: the simulator never started sending"; return 1; }
    sleep 0.2
  done
  sleep "$2"
}

# finish NAME RECOVERY OK [WRITES]: waits for the simulator, prints the scenario's row
finish() {
  local name="$1" recovery="$2" ok="$3" writes="${4:-}" rc=0 line
  wait "$SIM" || rc=$?
  SIM=""
  line="$(grep '^result ' "$DIR/$name.log" | tail -1 || true)"
  f() { echo "$line" | sed -n "s/.* $1=\([^ ]*\).*/\1/p"; }
  local verdict="ok"
  if [ "$rc" != 0 ] || [ "$ok" != 1 ] || [ "$(f audit)" != exact ]; then verdict="FAILED (log: .statesys/chaos/$name.log)"; FAILED=1; fi
  ROWS+=("$(printf '%-22s %10s %10s %10s %9s %7s %9s %6s %8s  %-6s %s' "$name" "$(f sent)" "$(f accepted)" "$(f processed)" \
    "$(f via-fsp)" "$(f 5xx)" "$(f defects)" "$recovery" "${writes:--}" "$(f audit)" "$verdict")")
  echo "${ROWS[-1]}"
}

wanted() { [ -z "$ONLY" ] || [[ ",$ONLY," == *",$1,"* ]]; }

seconds_since() { awk -v a="$1" -v b="$(now_ms)" 'BEGIN { printf "%.1f", (b - a) / 1000 }'; }

# --- scenarios ----------------------------------------------------------------------------------

# The loader killed with kill -9 while reports keep coming; the inbox holds them until it is back.
scenario_processor_kill() {
  local t ok=1
  if [ ${#BURST[@]} -gt 0 ]; then start_sim processor-kill 101 "${BURST[@]}"; else start_sim processor-kill 101 "${STEADY[@]}"; fi
  await_traffic processor-kill "$FAULT_AT" || { finish processor-kill - 0; return; }
  kill9 state-processor-service
  sleep 5
  start_service state-processor-service
  t="$(now_ms)"
  await_ready state-processor-service 120 || ok=0
  finish processor-kill "$(seconds_since "$t")" "$ok"
}

# Postgres stopped under load: clients get 503 + Retry-After (or fall back to the FSP, which also
# answers 503), every service recovers by itself once it is back.
scenario_postgres_restart() {
  if ! pg_local || [ -z "$PG_VERSION" ] || ! command -v pg_ctlcluster >/dev/null; then
    ROWS+=("$(printf '%-22s skipped: the database is not a local Debian cluster' postgres-restart)"); return
  fi
  local t ok=1
  start_sim postgres-restart 102 "${STEADY[@]}"
  await_traffic postgres-restart "$FAULT_AT" || { finish postgres-restart - 0; return; }
  as_root pg_ctlcluster --skip-systemctl-redirect "$PG_VERSION" main stop -m fast && PG_STOPPED=1
  sleep "$OUTAGE"
  pg_start
  t="$(now_ms)"
  all_ready 120 || ok=0
  finish postgres-restart "$(seconds_since "$t")" "$ok"
}

# The relay killed: clients fall back to the FSP, which forwards once the relay is back.
scenario_relay_kill() {
  local t ok=1
  start_sim relay-kill 103 "${STEADY[@]}"
  await_traffic relay-kill "$FAULT_AT" || { finish relay-kill - 0; return; }
  kill9 mp-relay-service
  sleep "$OUTAGE"
  start_service mp-relay-service
  t="$(now_ms)"
  await_ready mp-relay-service 120 || ok=0
  finish relay-kill "$(seconds_since "$t")" "$ok"
  if ! grep -q 'via-fsp=[1-9]' "$DIR/relay-kill.log"; then log "chaos: relay-kill: no message went through the FSP"; FAILED=1; fi
}

# Clients that lose, duplicate and reorder reports: missing ranges are exactly the gaps.
scenario_faulty_clients() {
  start_sim faulty-clients 104 "${STEADY[@]}" --drop 0.02 --duplicate 0.05 --reorder 0.05
  finish faulty-clients - 1
}

# Every free connection taken (max_connections reached): the running services stay ready on the
# connections they hold, and a processor started meanwhile waits instead of exiting.
scenario_connection_exhaustion() {
  local t ok=1 flaps=0 svc deadline
  start_sim connection-exhaustion 105 "${STEADY[@]}"
  await_traffic connection-exhaustion "$FAULT_AT" || { finish connection-exhaustion - 0; return; }
  kill9 state-processor-service
  sleep 1
  exec_sim chaos hold-connections --hold "PT${HOLD}S" \
    --jdbc "jdbc:postgresql://$STATESYS_DB_HOST:$STATESYS_DB_PORT/postgres" --db-user "$STATESYS_DB_USER" --db-password "$STATESYS_DB_PASSWORD" \
    >"$DIR/hold-connections.log" 2>&1 &
  HOLDER=$!
  deadline=$((SECONDS + 30))
  until grep -qs '^holding' "$DIR/hold-connections.log"; do  # -s: the holder may not have created its log yet
    [ $SECONDS -lt $deadline ] && kill -0 "$HOLDER" 2>/dev/null || { ok=0; break; }
    sleep 0.1
  done
  grep '^holding' "$DIR/hold-connections.log" | sed 's/^/  /' >&2 || true
  start_service state-processor-service
  while kill -0 "$HOLDER" 2>/dev/null; do
    for svc in mp-relay-service fallback-status-service resync-service; do
      http_ok "$(port_of "$svc")" /q/health/ready || { flaps=$((flaps + 1)); log "chaos: $svc not ready while the connections were held"; }
    done
    running chaos-state-processor-service || { log "chaos: the processor exited while the database was full"; ok=0; break; }
    sleep 0.5
  done
  wait "$HOLDER" || true
  HOLDER=""
  t="$(now_ms)"
  await_ready state-processor-service 120 || ok=0
  [ "$flaps" = 0 ] || ok=0
  finish connection-exhaustion "$(seconds_since "$t")" "$ok"
}

# Oversized and malformed reports flood the relay and the FSP while good clients keep sending.
scenario_floods() {
  local ok=1
  start_sim floods 106 "${STEADY[@]}"
  await_traffic floods 2 || { finish floods - 0; return; }
  run_sim chaos flood --target "http://127.0.0.1:$RELAY" --target "http://127.0.0.1:$FSP" \
    --oversized "$([ "$LONG" = 1 ] && echo 40 || echo 12)" --malformed "$([ "$LONG" = 1 ] && echo 3000 || echo 300)" \
    >"$DIR/flood.log" 2>&1 || ok=0
  sed 's/^/  /' "$DIR/flood.log" >&2
  finish floods - "$ok"
}

# --- the high-availability cluster's faults (--ha) ----------------------------------------------

ha() { "$ROOT/scripts/ha.sh" "$@"; }

# One insert through the write endpoint started every 100 ms, whether or not the last one has
# answered (an attempt stuck on a dead member must not hide the next), each on a new connection and
# bounded to 2 s (a commit waiting for a standby that is gone counts as refused):
# "<started ms> <answered ms> ok|fail" lines.
start_probe() {
  pg_admin -d "$DB" -c "CREATE TABLE IF NOT EXISTS chaos_write_probe (at timestamptz NOT NULL, id text PRIMARY KEY)" >/dev/null
  : >"$DIR/write-probe.log"
  (while :; do
     t="$(now_ms)"
     (if PGPASSWORD="$STATESYS_DB_PASSWORD" PGCONNECT_TIMEOUT=2 PGOPTIONS="-c statement_timeout=2000" timeout 3 \
           psql -q -h "$STATESYS_DB_HOST" -p "$STATESYS_DB_PORT" -U "$STATESYS_DB_USER" -d "$DB" \
           -c "INSERT INTO chaos_write_probe VALUES (now(), '$t')" >/dev/null 2>&1; then echo "$t $(now_ms) ok"; else echo "$t $(now_ms) fail"; fi) &
     sleep 0.1
   done) >>"$DIR/write-probe.log" 2>&1 &
  PROBE=$!
}

# writes_again SINCE_MS: seconds from SINCE until the answer of the first accepted write started
# after the last refused one (attempts started within 90 s); 0 when none was refused.
writes_again() {
  sort -n "$DIR/write-probe.log" | awk -v t0="$1" '$1 >= t0 && $1 <= t0 + 90000 { if ($3 == "fail") { lf = $1; ok = 0 } else if (lf && !ok) { ok = $2 } }
    END { if (!lf) print "0.0"; else if (ok) printf "%.1f", (ok - t0) / 1000; else print "never" }'
}

# ha_scenario NAME SEED FAULT RESTORE: steady load, FAULT at FAULT_AT, RESTORE once writes are back;
# then every service must be ready without a restart and the cluster synchronous again.
ha_scenario() {
  local name="$1" seed="$2" fault="$3" restore="$4" t ok=1 w deadline
  ha wait-sync 120 >/dev/null || { log "chaos: $name: no synchronous standby before the fault"; FAILED=1; }
  start_sim "$name" "$seed" "${STEADY[@]}"
  await_traffic "$name" "$FAULT_AT" || { finish "$name" - 0; return; }
  aim "$fault"
  t="$(now_ms)"
  $fault >"$DIR/$name.fault" 2>&1
  log "chaos: $name: $(tail -1 "$DIR/$name.fault")"
  # how long a fault may take to show: an isolated leader refuses writes only once its Patroni has
  # given up on etcd, and another member leads only after ttl — "never refused" must not be decided
  # before that
  local settle=3000
  [ "$fault" != fault_leader_isolated ] || settle=$(( (${STATESYS_HA_TTL:-10} + 5) * 1000 ))
  deadline=$((SECONDS + 90))
  until w="$(writes_again "$t")"; [ "$w" != never ] && [ $(( $(now_ms) - t )) -gt "$settle" ] || [ $SECONDS -ge $deadline ]; do
    sleep 0.5
  done
  [ "$w" != never ] || ok=0
  $restore
  all_ready 60 || ok=0
  finish "$name" "$(seconds_since "$t")" "$ok" "$w"
  ha wait-sync 180 >/dev/null || { log "chaos: $name: the cluster did not become synchronous again"; FAILED=1; }
  ha status >&2 || true
}

KILLED="" CANDIDATE=""
# Which member a fault hits, looked up before the scenario's clock starts: patronictl takes a moment
# on a busy machine, and the clock measures the fault, not the lookup.
aim() {
  case "$1" in
    fault_leader_kill|fault_leader_stop|fault_leader_isolated) KILLED="$(ha leader)" ;;
    fault_sync_standby_kill) KILLED="$(ha sync-standby)" ;;
    fault_switchover) KILLED="$(ha leader)" CANDIDATE="$(ha sync-standby)" ;;
    *) KILLED="" ;;
  esac
}
fault_leader_kill() { ha kill "$KILLED" postgres; echo "kill -9 of $KILLED's postmaster (the leader)"; }
restore_leader_kill() { :; }  # its Patroni rejoins it as a standby (pg_rewind)
fault_leader_stop() { ha stop "$KILLED"; echo "$KILLED's Patroni stopped (the leader; a clean shutdown)"; }
restore_member() { ha start "$KILLED"; }
fault_switchover() { ha switchover "$CANDIDATE" "$KILLED" >/dev/null 2>&1; KILLED=""; echo "planned switchover to the synchronous standby"; }
restore_nothing() { :; }
fault_sync_standby_kill() { ha kill "$KILLED" node; echo "kill -9 of $KILLED's Patroni and postmaster (the synchronous standby)"; }
fault_leader_isolated() {
  ha isolate "$KILLED"
  echo "$KILLED's Patroni cut from etcd (the leader; its PostgreSQL and REST API keep running)"
}
restore_isolated() { ha heal "$KILLED"; }
fault_etcd_member_kill() { ha etcd-kill 1; echo "kill -9 of etcd member 1 of 3"; }
restore_etcd() { ha etcd-start 1; }

# A parent site replicating from this one while its leader is killed: the parent's subscription
# (slot statesys_up_s01, made permanent in Patroni so that the standbys keep it) goes on from the new
# leader, and the parent ends up holding exactly this site's data — the subscription never re-made.
CAS_PORT=5441 CAS_PROCESSOR=$((BASE + 13)) CAS_DB=""
scenario_hierarchy_failover() {
  local ok=1 t w sub_before sub_after conn slot=statesys_up_s01 deadline
  "$ROOT/scripts/hierarchy.sh" clusters >/dev/null 2>&1 || { log "chaos: hierarchy-failover: the central cluster did not start"; FAILED=1; return; }
  CAS_DB="statesys_chaos_cas_$(date +%H%M%S)"
  cas_sql postgres "CREATE DATABASE $CAS_DB"
  conn="postgresql://$STATESYS_DB_USER:$STATESYS_DB_PASSWORD@127.0.0.1:$STATESYS_DB_PORT/$DB"
  (STATESYS_DB_PORT=$CAS_PORT STATESYS_DB_NAME="$CAS_DB" STATESYS_SITE_CODE=CAS STATESYS_SITE_CHILDREN="S01=$conn" \
    STATESYS_SITE_DEGRADED_AFTER=5s start_jar state-processor-service "$CAS_PROCESSOR" "$DIR/cas-processor.log" chaos-cas-processor)
  deadline=$((SECONDS + 120))
  until curl -s -m 2 "http://127.0.0.1:$CAS_PROCESSOR/api/v1/sites" 2>/dev/null | grep -q '"siteCode":"S01","parent":[^,]*,"role":"child","status":"active"'; do
    [ $SECONDS -lt $deadline ] || { log "chaos: hierarchy-failover: the central site never saw S01 active (log: .statesys/chaos/cas-processor.log)"; ok=0; break; }
    sleep 0.5
  done
  # every table copied and following (a table still in its initial copy has a slot of its own at the
  # leader, which no standby keeps)
  deadline=$((SECONDS + 300))
  until [ "$(cas_sql "$CAS_DB" "select count(*) from pg_subscription_rel where srsubstate <> 'r'")" = 0 ] \
      && [ "$(cas_sql "$CAS_DB" "select count(*) from pg_subscription_rel")" -gt 0 ]; do
    [ $SECONDS -lt $deadline ] || { log "chaos: hierarchy-failover: the central site's initial copy did not finish"; ok=0; break; }
    sleep 1
  done
  ha permanent-slot "$slot" "$DB"
  deadline=$((SECONDS + 120))
  until ha slot-everywhere "$slot"; do
    [ $SECONDS -lt $deadline ] || { log "chaos: hierarchy-failover: the standbys never got slot $slot"; ok=0; break; }
    sleep 1
  done
  sub_before="$(cas_sql "$CAS_DB" "select oid from pg_subscription where subname = '$slot'")"
  exec_sim hierarchy --site S01 --relay "http://127.0.0.1:$RELAY" --processor "http://127.0.0.1:$PROCESSOR" \
    --resync "http://127.0.0.1:$RESYNC" --jdbc "jdbc:postgresql://$STATESYS_DB_HOST:$STATESYS_DB_PORT/$DB" \
    --central-jdbc "jdbc:postgresql://127.0.0.1:$CAS_PORT/$CAS_DB" --db-user "$STATESYS_DB_USER" --db-password "$STATESYS_DB_PASSWORD" \
    --admin-token "$STATESYS_ADMIN_TOKEN" --clients 500 --scenario steady --interval PT4S --duration PT40S \
    >"$DIR/hierarchy-failover.log" 2>&1 &
  SIM=$!
  sleep 15
  t="$(now_ms)"
  fault_leader_kill >"$DIR/hierarchy-failover.fault"
  log "chaos: hierarchy-failover: $(cat "$DIR/hierarchy-failover.fault") while CAS replicates from it"
  wait "$SIM" || ok=0
  SIM=""
  w="$(writes_again "$t")"
  sub_after="$(cas_sql "$CAS_DB" "select oid from pg_subscription where subname = '$slot'")"
  [ -n "$sub_before" ] && [ "$sub_before" = "$sub_after" ] || { log "chaos: hierarchy-failover: the subscription was made again ($sub_before → $sub_after)"; ok=0; }
  grep -q '^result .*central=exact' "$DIR/hierarchy-failover.log" || ok=0
  grep -E '^(S01|central):' "$DIR/hierarchy-failover.log" | sed 's/^/  /' >&2 || true
  local verdict=ok
  [ "$ok" = 1 ] || { verdict="FAILED (log: .statesys/chaos/hierarchy-failover.log)"; FAILED=1; }
  ROWS+=("$(printf '%-22s %s' hierarchy-failover "central site exact after the leader kill, same subscription (oid $sub_after), writes again after ${w} s: $verdict")")
  echo "${ROWS[-1]}"
  stop_cas
  ha wait-sync 180 >/dev/null || { log "chaos: hierarchy-failover: the cluster did not become synchronous again"; FAILED=1; }
}

cas_sql() { PGPASSWORD=postgres psql -q -h 127.0.0.1 -p "$CAS_PORT" -U postgres -d "$1" -tAc "$2"; }

stop_cas() {
  local p
  p="$(pid_of chaos-cas-processor)"; [ -n "$p" ] && kill "$p" 2>/dev/null || true
  rm -f "$RUN_DIR/chaos-cas-processor.pid"
  [ -n "$CAS_DB" ] || return 0
  ha unslot statesys_up_s01 || true
  cas_sql "$CAS_DB" "ALTER SUBSCRIPTION statesys_up_s01 DISABLE" >/dev/null 2>&1 || true
  cas_sql "$CAS_DB" "ALTER SUBSCRIPTION statesys_up_s01 SET (slot_name = NONE)" >/dev/null 2>&1 || true
  cas_sql "$CAS_DB" "DROP SUBSCRIPTION statesys_up_s01" >/dev/null 2>&1 || true
  cas_sql postgres "DROP DATABASE IF EXISTS $CAS_DB WITH (FORCE)" >/dev/null 2>&1 || true
  pg_admin -c "SELECT pg_drop_replication_slot('statesys_up_s01') FROM pg_replication_slots WHERE slot_name = 'statesys_up_s01' AND NOT active" >/dev/null 2>&1 || true
  CAS_DB=""
}

# a repeated kill gets its own seed: new clients, not the last run's ClientIDs with new keys
scenario_leader_kill() { ha_scenario "${1:-leader-kill}" "$((201 + 100 * ${2:-0}))" fault_leader_kill restore_leader_kill; }
scenario_leader_stop() { ha_scenario leader-stop 202 fault_leader_stop restore_member; }
scenario_switchover() { ha_scenario "${1:-switchover}" "$((203 + 100 * ${2:-0}))" fault_switchover restore_nothing; }
scenario_sync_standby_kill() { ha_scenario sync-standby-kill 204 fault_sync_standby_kill restore_member; }
scenario_leader_isolated() { ha_scenario leader-isolated 206 fault_leader_isolated restore_isolated; }
scenario_etcd_member_kill() { ha_scenario etcd-member-kill 205 fault_etcd_member_kill restore_etcd; }

# --- run ----------------------------------------------------------------------------------------
ensure_tools
[ "$HA" = 0 ] || ha up
ensure_postgres
pg_report_settings
build_if_missing
ensure_run_secrets
mkdir -p "$DIR"
pg_admin -c "CREATE DATABASE $DB"
log "chaos: database $DB, services on ports $RELAY-$RESYNC (logs in .statesys/chaos/), $([ "$LONG" = 1 ] && echo long || echo short) form"
for svc in mp-relay-service fallback-status-service state-processor-service resync-service; do start_service "$svc"; done
all_ready 120 || die "chaos: the services did not start (logs in .statesys/chaos/)"

header="$(printf '%-22s %10s %10s %10s %9s %7s %9s %6s %8s  %-6s %s' scenario sent accepted processed via-fsp 5xx "non-503" "recov s" "writes s" audit verdict)"
echo "$header"
if [ "$HA" = 1 ]; then
  start_probe
  kills="${KILLS:-1}"; [ "$LONG" = 1 ] && [ -z "$KILLS" ] && kills=10
  for s in leader-kill leader-stop switchover sync-standby-kill etcd-member-kill leader-isolated hierarchy-failover; do
    wanted "$s" || continue
    # leader-kill and switchover may be repeated: each run named and seeded by its number
    n=1; [ "$s" = leader-kill ] && n="$kills"; [ "$s" = switchover ] && n="${SWITCHOVERS:-1}"
    if [ "$n" -gt 1 ]; then
      for i in $(seq 1 "$n"); do log "chaos: $s $i of $n"; "scenario_${s//-/_}" "$s-$i" "$i"; done
      continue
    fi
    log "chaos: $s"
    "scenario_${s//-/_}"
  done
  # every insert the probe saw acknowledged is in the table: no member accepted a write that a
  # failover then threw away (split brain, or a commit acknowledged before a standby had it)
  kill "$PROBE" 2>/dev/null || true; wait "$PROBE" 2>/dev/null || true; PROBE=""
  sleep 4  # the attempts still under way answer (each is bounded to 3 s)
  awk '$3 == "ok" {print $1}' "$DIR/write-probe.log" | sort > "$DIR/write-probe.acked"
  pg_admin -d "$DB" -tAc "SELECT id FROM chaos_write_probe" | sort > "$DIR/write-probe.stored"
  lost="$(comm -23 "$DIR/write-probe.acked" "$DIR/write-probe.stored" | wc -l)"
  ROWS+=("$(printf '%-22s %s' write-probe "$(wc -l < "$DIR/write-probe.acked") inserts acknowledged through every fault, $lost of them missing: $([ "$lost" = 0 ] && echo ok || echo FAILED)")")
  [ "$lost" = 0 ] || FAILED=1
else
  for s in processor-kill postgres-restart relay-kill faulty-clients connection-exhaustion floods; do
    wanted "$s" || continue
    log "chaos: $s"
    "scenario_${s//-/_}"
  done
fi

echo
echo "$header"
printf '%s\n' "${ROWS[@]}"
if [ "$FAILED" = 0 ]; then log "chaos: every scenario passed"; else log "chaos: FAILED"; fi
exit "$FAILED"
