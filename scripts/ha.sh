#!/usr/bin/env bash
# A highly available site database on this machine (docs/operating.md, "High availability"), built as Patroni
# documents it: three PostgreSQL 15 members under Patroni, a three-member etcd as the consensus
# store, and HAProxy as the write endpoint, following the leader through Patroni's REST health check.
# Synchronous mode: a commit — and so a relay's or FSP's 202 — returns once a standby has it.
#   ./statesys ha up          install (apt) and start etcd, the three members and HAProxy; wait for a leader
#   ./statesys ha down        stop them (data kept)
#   ./statesys ha destroy     stop them and remove their data
#   ./statesys ha status      patronictl list: leader, sync standby, lag, timeline
#   ./statesys ha switchover [CANDIDATE [LEADER]]  planned: the leader hands over (to the synchronous standby)
#   ./statesys ha failover    unplanned, forced: promote the synchronous standby now
#   ./statesys ha env         the STATESYS_DB_* a service needs to use it (eval "$(./statesys ha env)")
#   ./statesys ha leader      the leader's member name (pg1, pg2 or pg3)
#   ./statesys ha start MEMBER | stop MEMBER | kill MEMBER [postgres|patroni|node] | etcd-kill N | etcd-start N
#   ./statesys ha isolate MEMBER | heal MEMBER   cut a member's Patroni from etcd (each member reaches etcd
#                              through its own HAProxy proxy, 23781-23783), and give it back
#   ./statesys ha members      each member's name, data directory and port (for pgBackRest)
#   ./statesys ha set-parameters NAME=VALUE…   PostgreSQL settings on every member (Patroni's dynamic
#                              configuration; restarts the members that need it)
#   ./statesys ha synchronous on|off   synchronous mode (Patroni's synchronous_mode; on when made): off
#                              only to measure what waiting for a standby costs — a failover may then lose
#                              acknowledged reports
#   ./statesys ha permanent-slot NAME DATABASE   a logical slot (a hierarchy parent's subscription) kept on
#                              the standbys too, so that it survives a failover; unslot NAME forgets it
# Then `STATESYS_HA=1 ./statesys up` runs the four services against the write endpoint.
# Ports: write endpoint 127.0.0.1:${STATESYS_HA_WRITE_PORT:-5450}; members 5451-5453 (Patroni REST
# 8451-8453); etcd clients 23791-23793 (peers 23801-23803); HAProxy statistics 5459.
# Failure detection (the trade-off is in docs/performance.md): STATESYS_HA_TTL (10 s),
# STATESYS_HA_LOOP_WAIT (1 s), STATESYS_HA_RETRY_TIMEOUT (4 s); loop_wait + 2 × retry_timeout ≤ ttl.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"

PG_VERSION="${STATESYS_HA_PG_VERSION:-15}"
PG_BIN="/usr/lib/postgresql/$PG_VERSION/bin"
HA="${STATESYS_HA_DIR:-/var/lib/postgresql/statesys-ha}"
WRITE_PORT="${STATESYS_HA_WRITE_PORT:-5450}"
TTL="${STATESYS_HA_TTL:-10}"
LOOP_WAIT="${STATESYS_HA_LOOP_WAIT:-1}"
RETRY_TIMEOUT="${STATESYS_HA_RETRY_TIMEOUT:-4}"
MEMBERS="pg1 pg2 pg3"
SCOPE=statesys

member_index() { echo "${1#pg}"; }
pg_port_of() { echo $((5450 + $(member_index "$1"))); }
rest_port_of() { echo $((8450 + $(member_index "$1"))); }
etcd_client_port() { echo $((23790 + $1)); }
etcd_peer_port() { echo $((23800 + $1)); }
etcd_proxy_port() { echo $((23780 + $(member_index "$1"))); }
etcd_hosts() { echo "127.0.0.1:$(etcd_client_port 1),127.0.0.1:$(etcd_client_port 2),127.0.0.1:$(etcd_client_port 3)"; }

ensure_packages() {
  local need=()
  command -v patroni >/dev/null || need+=(patroni)
  /usr/bin/python3 -c 'import etcd' 2>/dev/null || need+=(python3-etcd)
  command -v etcd >/dev/null || need+=(etcd-server)
  command -v etcdctl >/dev/null || need+=(etcd-client)
  command -v haproxy >/dev/null || need+=(haproxy)
  [ -x "$PG_BIN/postgres" ] || need+=("postgresql-$PG_VERSION")
  if [ "${#need[@]}" -gt 0 ]; then
    log "installing ${need[*]} (Debian packages)"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  fi
}

# Files under $HA belong to postgres: Patroni runs PostgreSQL, which refuses to run as root.
ha_write() { as_root install -o postgres -g postgres -m "${2:-600}" /dev/stdin "$1"; }
pid_alive() { [ -s "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

secrets() {
  as_root install -d -o postgres -g postgres -m 700 "$HA"
  if ! as_root test -s "$HA/replication-password"; then
    random_token | ha_write "$HA/replication-password"
    random_token | ha_write "$HA/rewind-password"
  fi
  # the REST API's unsafe endpoints (switchover, failover, restart, configuration) ask for it
  as_root test -s "$HA/rest-password" || random_token | ha_write "$HA/rest-password"
  REPLICATION_PASSWORD="$(as_root cat "$HA/replication-password")"
  REST_PASSWORD="$(as_root cat "$HA/rest-password")"
  REWIND_PASSWORD="$(as_root cat "$HA/rewind-password")"
}

write_patroni_config() {
  local m="$1"
  ha_write "$HA/$m.yml" <<EOF
scope: $SCOPE
namespace: /statesys/
name: $m
log:
  level: INFO
restapi:
  listen: 127.0.0.1:$(rest_port_of "$m")
  connect_address: 127.0.0.1:$(rest_port_of "$m")
  authentication:
    username: statesys
    password: $REST_PASSWORD
etcd3:
  # through this member's own proxy (HAProxy, etcd-$m), so that one member alone can be cut from etcd
  # (./statesys ha isolate); no topology discovery behind it
  hosts: 127.0.0.1:$(etcd_proxy_port "$m")
  use_proxies: true
bootstrap:
  dcs:
    ttl: $TTL
    loop_wait: $LOOP_WAIT
    retry_timeout: $RETRY_TIMEOUT
    maximum_lag_on_failover: 1048576
    # a crashed primary is not restarted in place: the synchronous standby takes over at once
    primary_start_timeout: 0
    synchronous_mode: true
    postgresql:
      use_pg_rewind: true
      use_slots: true
      parameters:
        wal_level: logical
        hot_standby: "on"
        hot_standby_feedback: "on"
        wal_log_hints: "on"
        max_connections: 200
        max_wal_senders: 20
        max_replication_slots: 20
        max_worker_processes: 16
        max_logical_replication_workers: 8
        shared_buffers: 128MB
        max_wal_size: 1GB
        synchronous_commit: "on"
  initdb:
    - encoding: UTF8
    - locale: C.UTF-8
    - data-checksums
postgresql:
  listen: 127.0.0.1:$(pg_port_of "$m")
  connect_address: 127.0.0.1:$(pg_port_of "$m")
  data_dir: $HA/$m
  bin_dir: $PG_BIN
  pgpass: $HA/$m.pgpass
  authentication:
    superuser:
      username: postgres
      password: postgres
    replication:
      username: replicator
      password: $REPLICATION_PASSWORD
    rewind:
      username: rewinder
      password: $REWIND_PASSWORD
  parameters:
    unix_socket_directories: /var/run/postgresql
  pg_hba:
    - local all all trust
    - host replication replicator 127.0.0.1/32 scram-sha-256
    - host all all 127.0.0.1/32 scram-sha-256
tags:
  nofailover: false
  noloadbalance: false
  clonefrom: false
  nosync: false
EOF
}

write_haproxy_config() {
  local m servers="" etcd_proxies=""
  for m in $MEMBERS; do
    servers="$servers    server $m 127.0.0.1:$(pg_port_of "$m") maxconn 500 check port $(rest_port_of "$m")
"
    etcd_proxies="${etcd_proxies}listen etcd-$m
    bind 127.0.0.1:$(etcd_proxy_port "$m")
    balance first
    timeout client 1h
    timeout server 1h
    server e1 127.0.0.1:$(etcd_client_port 1) check inter 1s
    server e2 127.0.0.1:$(etcd_client_port 2) check inter 1s
    server e3 127.0.0.1:$(etcd_client_port 3) check inter 1s
"
  done
  # Only the member whose Patroni answers /primary with 200 takes connections; when it stops being
  # the primary, HAProxy cuts every session to it (on-marked-down shutdown-sessions), so no pooled
  # connection stays on a demoted member.
  ha_write "$HA/haproxy.cfg" 644 <<EOF
global
    maxconn 2000
    pidfile $HA/haproxy.pid
    stats socket $HA/haproxy.sock mode 600 level admin
defaults
    mode tcp
    retries 2
    timeout connect 2s
    timeout client 30m
    timeout server 30m
    timeout check 1s
listen stats
    mode http
    bind 127.0.0.1:5459
    stats enable
    stats uri /
$etcd_proxies
listen primary
    bind 127.0.0.1:$WRITE_PORT
    option httpchk OPTIONS /primary
    http-check expect status 200
    default-server inter 500ms fastinter 250ms downinter 500ms fall 2 rise 1 on-marked-down shutdown-sessions
$servers
EOF
}

start_etcd() {
  local i="$1" cluster=""
  for j in 1 2 3; do cluster="${cluster:+$cluster,}e$j=http://127.0.0.1:$(etcd_peer_port "$j")"; done
  pid_alive "$HA/etcd$i.pid" && return
  local state=new
  as_root test -d "$HA/etcd$i/member" && state=existing
  as_postgres "cd $HA && nohup etcd --name e$i --data-dir $HA/etcd$i \
    --listen-client-urls http://127.0.0.1:$(etcd_client_port "$i") --advertise-client-urls http://127.0.0.1:$(etcd_client_port "$i") \
    --listen-peer-urls http://127.0.0.1:$(etcd_peer_port "$i") --initial-advertise-peer-urls http://127.0.0.1:$(etcd_peer_port "$i") \
    --initial-cluster $cluster --initial-cluster-token statesys-ha --initial-cluster-state $state \
    --heartbeat-interval 100 --election-timeout 1000 > $HA/etcd$i.log 2>&1 & echo \$! > $HA/etcd$i.pid"
}

start_member() {
  local m="$1"
  pid_alive "$HA/$m.patroni.pid" && return
  as_postgres "cd $HA && nohup patroni $HA/$m.yml >> $HA/$m.log 2>&1 & echo \$! > $HA/$m.patroni.pid"
}

start_haproxy() {
  if pid_alive "$HA/haproxy.pid"; then
    as_postgres "haproxy -f $HA/haproxy.cfg -D -sf \$(cat $HA/haproxy.pid)"
  else
    as_postgres "haproxy -f $HA/haproxy.cfg -D"
  fi
}

patronictl_() { as_postgres "patronictl -c $HA/pg1.yml $*"; }

# The member Patroni reports in a role (leader, sync_standby), from any member's REST API that answers.
member_in_role() {
  local m
  for m in $MEMBERS; do
    curl -s -m 1 "http://127.0.0.1:$(rest_port_of "$m")/cluster" 2>/dev/null \
      | /usr/bin/python3 -c 'import json,sys; r=sys.argv[1].split(","); d=json.load(sys.stdin); print(next((m["name"] for m in d["members"] if m["role"] in r), ""))' "$1" 2>/dev/null \
      | grep . && return 0
  done
  return 1
}
leader() { member_in_role leader,master; }

# A planned switchover through the leader's REST API (POST /switchover answers once the candidate
# leads): patronictl would do the same after a Python start-up of its own, which a client waits through.
switchover() {
  local candidate="$1" current="$2" answer
  secrets
  answer="$(curl -s -m 60 -u "statesys:$REST_PASSWORD" -w '\n%{http_code}' -X POST \
    -H 'Content-Type: application/json' -d "{\"leader\":\"$current\",\"candidate\":\"$candidate\"}" \
    "http://127.0.0.1:$(rest_port_of "$current")/switchover")"
  echo "${answer%$'\n'*}"
  [ "${answer##*$'\n'}" = 200 ]
}
sync_standby() { member_in_role sync_standby; }

wait_writable() {
  local deadline=$((SECONDS + ${1:-120}))
  while [ $SECONDS -lt $deadline ]; do
    if PGPASSWORD=postgres psql -h 127.0.0.1 -p "$WRITE_PORT" -U postgres -d postgres -tAc "select not pg_is_in_recovery()" 2>/dev/null | grep -q t; then
      return 0
    fi
    sleep 0.5
  done
  return 1
}

# wait_sync [SECONDS] [absent]: until a member is the synchronous standby (or, with absent, none is)
wait_sync() {
  local deadline=$((SECONDS + ${1:-120})) want="${2:-present}" now
  while [ $SECONDS -lt $deadline ]; do
    if sync_standby >/dev/null; then now=present; else now=absent; fi
    [ "$now" = "$want" ] && return 0
    sleep 0.5
  done
  return 1
}

# Patroni applies synchronous_mode at its next loop; returns once the member list shows it
set_synchronous() {
  local v want
  case "${1:-}" in on) v=true want=present ;; off) v=false want=absent ;; *) die "ha synchronous on|off" ;; esac
  patronictl_ edit-config --force -s "synchronous_mode=$v" >/dev/null
  wait_sync 30 "$want" || die "synchronous mode $1 not applied within 30 s (logs: $HA/pg*.log)"
  log "synchronous mode $1 (sync standby: $(sync_standby || echo none))"
}

cmd_up() {
  ensure_packages
  secrets
  for m in $MEMBERS; do write_patroni_config "$m"; done
  write_haproxy_config
  for i in 1 2 3; do start_etcd "$i"; done
  local deadline=$((SECONDS + 60))
  until ETCDCTL_API=3 etcdctl --endpoints "$(etcd_hosts)" endpoint health >/dev/null 2>&1; do
    [ $SECONDS -lt $deadline ] || die "etcd did not become healthy (logs: $HA/etcd*.log)"
    sleep 0.5
  done
  # Patroni reaches etcd through HAProxy's per-member proxies: HAProxy first
  start_haproxy
  if ! as_root test -d "$HA/pg1"; then
    # a new cluster: the first member bootstraps it, the others then copy it
    start_member pg1
    deadline=$((SECONDS + 120))
    until leader >/dev/null; do [ $SECONDS -lt $deadline ] || die "no leader (log: $HA/pg1.log)"; sleep 0.5; done
  fi
  # a cluster that ran before: all at once, so that the member synchronous mode allows can lead
  for m in $MEMBERS; do start_member "$m"; done
  wait_writable 120 || die "no leader answers on 127.0.0.1:$WRITE_PORT (logs: $HA/pg*.log)"
  wait_sync 180 || die "no synchronous standby (logs: $HA/pg*.log)"
  log "high-availability cluster up: write endpoint 127.0.0.1:$WRITE_PORT (leader $(leader), sync standby $(sync_standby))"
  log "services against it: STATESYS_HA=1 ./statesys up"
}

cmd_down() {
  stop_pid "$HA/haproxy.pid"
  # the standbys first: a leader stopped before them would hand over to one of them
  local l
  l="$(leader || true)"
  for m in $MEMBERS; do [ "$m" = "$l" ] || stop_pid "$HA/$m.patroni.pid"; done
  [ -z "$l" ] || stop_pid "$HA/$l.patroni.pid"
  for i in 1 2 3; do stop_pid "$HA/etcd$i.pid"; done
  log "high-availability cluster stopped (data kept in $HA)"
}

# TERM, up to 30 s to exit (Patroni stops its PostgreSQL first), then KILL; the pid file goes.
stop_pid() {
  local f="$1" i
  if pid_alive "$f"; then
    as_root kill -TERM "$(cat "$f")" 2>/dev/null || true
    for i in $(seq 1 120); do pid_alive "$f" || break; sleep 0.25; done
    pid_alive "$f" && as_root kill -KILL "$(cat "$f")" 2>/dev/null || true
  fi
  as_root rm -f "$f"
}

stop_member() { stop_pid "$HA/$1.patroni.pid"; }

postmaster_pid() { as_root head -1 "$HA/$1/postmaster.pid" 2>/dev/null; }

kill_member() {
  local m="$1" what="${2:-postgres}" pg
  pg="$(postmaster_pid "$m" || true)"
  case "$what" in
    postgres) [ -n "$pg" ] && as_root kill -KILL "$pg" ;;
    patroni) as_root kill -KILL "$(cat "$HA/$m.patroni.pid")" ;;
    node) as_root kill -KILL "$(cat "$HA/$m.patroni.pid")"; [ -n "$pg" ] && as_root kill -KILL "$pg" ;;
    *) die "kill MEMBER [postgres|patroni|node]" ;;
  esac
}

# HAProxy's admin socket (python: no socat needed)
haproxy_admin() {
  as_root /usr/bin/python3 - "$HA/haproxy.sock" "$1" <<'PY'
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.connect(sys.argv[1])
s.sendall((sys.argv[2] + "\n").encode())
print(s.recv(65536).decode(), end="")
PY
}

# A member's Patroni cut from etcd (its proxy refuses and drops every connection), its PostgreSQL
# and REST API untouched: it must demote itself, and another member take over.
isolate() {
  local e
  for e in e1 e2 e3; do
    haproxy_admin "set server etcd-$1/$e state maint" >/dev/null
    haproxy_admin "shutdown sessions server etcd-$1/$e" >/dev/null
  done
}

heal() {
  local e
  for e in e1 e2 e3; do haproxy_admin "set server etcd-$1/$e state ready" >/dev/null; done
}

# set-parameters NAME=VALUE…: PostgreSQL settings of every member, through Patroni's dynamic
# configuration; members that need a restart for them (archive_mode) are restarted one at a time
set_parameters() {
  local kv args=""
  for kv in "$@"; do args="$args -s 'postgresql.parameters.$kv'"; done
  patronictl_ edit-config --force "$args" >/dev/null
  sleep $((LOOP_WAIT * 2 + 1))
  if patronictl_ list -f json | grep -q '"Pending restart": "\*"'; then
    log "ha: restarting the members that need it for the new settings"
    patronictl_ restart "$SCOPE" --force --pending >/dev/null
  fi
  wait_writable 120
}

cmd_destroy() {
  cmd_down || true
  sleep 1
  as_root rm -rf "$HA"
  log "high-availability cluster removed"
}

cmd_env() {
  cat <<EOF
export STATESYS_DB_HOST=127.0.0.1 STATESYS_DB_PORT=$WRITE_PORT STATESYS_DB_USER=postgres STATESYS_DB_PASSWORD=postgres
EOF
}

case "${1:-}" in
  up) cmd_up ;;
  down) cmd_down ;;
  destroy) cmd_destroy ;;
  status) patronictl_ list ;;
  switchover) shift; switchover "${1:-$(sync_standby)}" "${2:-$(leader)}" ;;
  failover) shift; c="${1:-$(sync_standby)}"; patronictl_ failover "$SCOPE" --candidate "$c" --force ;;
  env) cmd_env ;;
  leader) leader ;;
  sync-standby) sync_standby ;;
  wait-writable) wait_writable "${2:-120}" ;;
  wait-sync) wait_sync "${2:-120}" ;;
  start) secrets; start_member "$2" ;;
  stop) stop_member "$2" ;;
  kill) kill_member "$2" "${3:-postgres}" ;;
  etcd-kill) as_root kill -KILL "$(cat "$HA/etcd$2.pid")" ;;
  isolate) isolate "$2" ;;
  heal) heal "$2" ;;
  members) for m in $MEMBERS; do echo "$m $HA/$m $(pg_port_of "$m")"; done ;;
  set-parameters) shift; set_parameters "$@" ;;
  synchronous) set_synchronous "${2:-}" ;;
  permanent-slot) patronictl_ edit-config --force -s "slots.$2.type=logical" -s "slots.$2.database=$3" -s "slots.$2.plugin=pgoutput" >/dev/null ;;
  unslot) patronictl_ edit-config --force -s "slots.$2=null" >/dev/null ;;
  slot-everywhere)
    # true once every running member has the slot (the standbys copy it from the leader)
    for m in $MEMBERS; do
      [ "$(PGPASSWORD=postgres psql -h 127.0.0.1 -p "$(pg_port_of "$m")" -U postgres -d postgres -tAc \
        "select count(*) from pg_replication_slots where slot_name = '$2'" 2>/dev/null)" = 1 ] || exit 1
    done ;;
  etcd-start) start_etcd "$2" ;;
  *) sed -n '2,21p' "$0"; exit 2 ;;
esac
