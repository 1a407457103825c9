#!/usr/bin/env bash
# A site hierarchy on this machine (docs/operating.md, "Site hierarchy"): a central site CAS and two primaries
# PS1 and PS2, each with its own PostgreSQL cluster (wal_level=logical) and the services it needs —
# the central site has no clients, so no relay and no FSP.
#   scripts/hierarchy.sh up       create/start the clusters, the replication roles, the services
#   scripts/hierarchy.sh down     stop the services (the clusters keep running: `down --clusters` stops them too)
#   scripts/hierarchy.sh destroy  stop everything and drop the three clusters (their data is gone)
#   scripts/hierarchy.sh status   services, links as each site sees them (GET /api/v1/sites)
#   scripts/hierarchy.sh clusters only create/start the three clusters (the hierarchy tests make their own databases there)
#   scripts/hierarchy.sh env SITE the environment a client of SITE (or a test) uses: ports, URLs
#   scripts/hierarchy.sh simulate [options]   clients against PS1 and PS2 at once (statesys-sim hierarchy):
#       each primary audited exact, then CAS checked to hold exactly the union of their data
#   scripts/hierarchy.sh bench [--clients N] [--updates U] [--outage-clients N]   (hierarchy up first)
#       replication lag at CAS while PS1 takes a Patch Tuesday burst (p50/p99/max, sampled every 250 ms
#       from PS1's pg_stat_replication), the walsender's CPU at PS1, then the catch-up after CAS was
#       stopped while PS1 took a second burst
# Ports: clusters CAS 5441, PS1 5442, PS2 5443; services 8x8y with x = 1 (CAS), 2 (PS1), 3 (PS2) and
# y = 1 relay, 2 FSP, 3 processor, 4 resync. Override the cluster ports with HIERARCHY_PG_PORT_<SITE>.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"

SITES="CAS PS1 PS2"
H_DIR="$RUN_DIR/hierarchy"
PG_VERSION="${HIERARCHY_PG_VERSION:-15}"
# one replication password per site (so per link): a site that learns one link's password reaches no other
repl_password_file() { echo "$H_DIR/replication-password-$(echo "$1" | tr A-Z a-z)"; }

parent_of() { case "$1" in CAS) echo "" ;; *) echo CAS ;; esac; }
children_of() { case "$1" in CAS) echo "PS1 PS2" ;; *) echo "" ;; esac; }
site_index() { case "$1" in CAS) echo 1 ;; PS1) echo 2 ;; PS2) echo 3 ;; esac; }
pg_port() { local v="HIERARCHY_PG_PORT_$1"; echo "${!v:-$((5440 + $(site_index "$1")))}"; }
svc_port() { echo "8$(site_index "$1")8$2"; }   # svc_port SITE 1..4
cluster_name() { echo "statesys_$(echo "$1" | tr A-Z a-z)"; }
site_services() {
  case "$1" in
    CAS) echo "state-processor-service:3 resync-service:4" ;;
    *) echo "mp-relay-service:1 fallback-status-service:2 state-processor-service:3 resync-service:4" ;;
  esac
}
psql_site() { local site="$1"; shift; PGPASSWORD=postgres psql -q -h 127.0.0.1 -p "$(pg_port "$site")" -U postgres "$@"; }
repl_password() { cat "$(repl_password_file "$1")"; }
# How a site's database is reached by another site's database (libpq URI), as the replication role
conn_to() { echo "postgresql://statesys_replicator:$(repl_password "$1")@127.0.0.1:$(pg_port "$1")/statesys"; }

ensure_cluster() {
  local site="$1" name port
  name="$(cluster_name "$site")"; port="$(pg_port "$site")"
  if ! pg_lsclusters -h | awk -v n="$name" '$2==n' | grep -q .; then
    log "creating PostgreSQL cluster $name on port $port (wal_level=logical)"
    as_root pg_createcluster "$PG_VERSION" "$name" -p "$port" >/dev/null
  fi
  # Each subscription holds an apply worker, and its initial copy up to two sync workers more: the
  # default of 4 logical replication workers is used up by two children's links (and the tests' own
  # databases share these clusters), after which a new link waits in its initial copy for ever.
  local setting value changed=0
  for setting in wal_level=logical max_connections=200 shared_buffers=64MB max_worker_processes=40 \
                 max_logical_replication_workers=24 max_sync_workers_per_subscription=4 max_replication_slots=40 max_wal_senders=40; do
    value="$(as_root pg_conftool -s "$PG_VERSION" "$name" show "${setting%%=*}" 2>/dev/null || true)"
    if [ "$value" != "${setting#*=}" ]; then
      as_root pg_conftool "$PG_VERSION" "$name" set "${setting%%=*}" "${setting#*=}"; changed=1
    fi
  done
  if pg_lsclusters -h | awk -v n="$name" '$2==n {print $4}' | grep -q online; then
    if [ "$changed" = 1 ]; then
      log "restarting cluster $name (settings changed)"
      as_root pg_ctlcluster --skip-systemctl-redirect "$PG_VERSION" "$name" restart
    fi
  else
    log "starting cluster $name"
    as_root pg_ctlcluster --skip-systemctl-redirect "$PG_VERSION" "$name" start
  fi
  for _ in $(seq 1 60); do pg_isready -q -h 127.0.0.1 -p "$port" && break; sleep 0.5; done
  if ! PGPASSWORD=postgres psql -q -h 127.0.0.1 -p "$port" -U postgres -d postgres -tAc 'select 1' >/dev/null 2>&1; then
    as_postgres "psql -q -p $port -c \"ALTER ROLE postgres WITH PASSWORD 'postgres'\""
  fi
  # the services work as the database's owner, no superuser; only the processor's link rounds log in as one
  [ -s "$(owner_password_file "$site")" ] || (umask 077; mkdir -p "$H_DIR"; random_token > "$(owner_password_file "$site")")
  ensure_role "$site" postgres statesys "LOGIN NOSUPERUSER" "$(cat "$(owner_password_file "$site")")"
  if [ "$(psql_site "$site" -d postgres -tAc "select 1 from pg_database where datname = 'statesys'")" != 1 ]; then
    psql_site "$site" -d postgres -c "CREATE DATABASE statesys OWNER statesys"
  elif [ "$(site_db_user "$site")" = statesys ]; then
    # made empty by an earlier version of this script: no schema yet, so it can still change hands
    psql_site "$site" -d postgres -c "ALTER DATABASE statesys OWNER TO statesys"
  fi
}

owner_password_file() { echo "$H_DIR/owner-password-$(echo "$1" | tr A-Z a-z)"; }

# The role a site's services log in as: statesys (owner, no superuser), or postgres for a database made
# before the sites had an owner role (its tables are postgres's).
site_db_user() {
  local owner
  owner="$(psql_site "$1" -d statesys -tAc "select pg_get_userbyid(relowner) from pg_class where relname = 'topic_state' and relkind = 'r'" 2>/dev/null || true)"
  if [ -z "$owner" ] || [ "$owner" = statesys ]; then echo statesys; else echo postgres; fi
}

# The role another site's database logs in as: REPLICATION and SELECT on what is published to it,
# nothing else (a child publishes its processed tables up; a parent publishes resync orders down).
ensure_replication_role() {
  local site="$1" tables
  if [ -n "$(children_of "$site")" ]; then tables="resync_order"; else tables="site, topic_state, client_message_stats, missing_range, resync_request"; fi
  ensure_role "$site" statesys statesys_replicator "LOGIN REPLICATION" "$(repl_password "$site")"
  psql_site "$site" -d statesys -v ON_ERROR_STOP=1 -c "GRANT SELECT ON $tables TO statesys_replicator"
}

# ensure_role SITE DATABASE ROLE ATTRIBUTES PASSWORD: the role exists (made with ATTRIBUTES) and has PASSWORD
ensure_role() {
  psql_site "$1" -d "$2" -v ON_ERROR_STOP=1 <<SQL
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '$3') THEN
    CREATE ROLE $3 WITH $4;
  END IF;
END \$\$;
ALTER ROLE $3 WITH PASSWORD '$5';
SQL
}

start_site() {
  local site="$1" entry svc n port pidname parent children=""
  parent="$(parent_of "$site")"
  for c in $(children_of "$site"); do children="${children:+$children,}$c=$(conn_to "$c")"; done
  local db_user db_password=postgres
  db_user="$(site_db_user "$site")"
  [ "$db_user" = postgres ] || db_password="$(cat "$(owner_password_file "$site")")"
  for entry in $(site_services "$site"); do
    svc="${entry%%:*}"; n="${entry##*:}"; port="$(svc_port "$site" "$n")"; pidname="hierarchy-$site-$svc"
    if running "$pidname"; then continue; fi
    port_taken "$port" && die "port $port (for $site $svc) is taken"
    (
      export STATESYS_DB_PORT="$(pg_port "$site")" STATESYS_DB_NAME=statesys STATESYS_DB_USER="$db_user" STATESYS_DB_PASSWORD="$db_password"
      [ "$svc" = state-processor-service ] && export STATESYS_SITE_LINK_USER=postgres STATESYS_SITE_LINK_PASSWORD=postgres
      export STATESYS_SITE_CODE="$site"
      [ -n "$parent" ] && export STATESYS_SITE_PARENT="$parent" STATESYS_SITE_PARENT_CONNECTION="$(conn_to "$parent")"
      [ -n "$children" ] && export STATESYS_SITE_CHILDREN="$children"
      export STATESYS_FSP_RELAY_URL="http://127.0.0.1:$(svc_port "$site" 1)"
      STATESYS_JAVA_OPTS="${STATESYS_JAVA_OPTS:--Xmx256m}" start_jar "$svc" "$port" "$LOG_DIR/$pidname.log" "$pidname"
    )
  done
}

wait_site() {
  local site="$1" entry svc n
  for entry in $(site_services "$site"); do
    svc="${entry%%:*}"; n="${entry##*:}"
    wait_ready "hierarchy-$site-$svc" "$(svc_port "$site" "$n")"
  done
}

cmd_up() {
  ensure_tools
  ensure_postgres   # the toolchain (psql, pg_createcluster) and the developer cluster
  build_if_missing
  ensure_run_secrets
  mkdir -p "$H_DIR" "$LOG_DIR"
  local site
  for site in $SITES; do
    [ -s "$(repl_password_file "$site")" ] || (umask 077; random_token > "$(repl_password_file "$site")")
  done
  for site in $SITES; do ensure_cluster "$site"; done
  for site in $SITES; do start_site "$site"; done
  for site in $SITES; do wait_site "$site"; done
  # the schema exists now (each site's services migrated it): grant what the links read
  for site in $SITES; do ensure_replication_role "$site"; done
  log "hierarchy up: CAS (central) <- PS1, PS2; the processors create the subscriptions within $(echo "${STATESYS_SITE_HEARTBEAT:-5s}")"
  for site in $SITES; do
    printf '  %-4s db 127.0.0.1:%s/statesys  processor http://127.0.0.1:%s  resync http://127.0.0.1:%s' \
      "$site" "$(pg_port "$site")" "$(svc_port "$site" 3)" "$(svc_port "$site" 4)"
    [ "$site" != CAS ] && printf '  relay http://127.0.0.1:%s  fsp http://127.0.0.1:%s' "$(svc_port "$site" 1)" "$(svc_port "$site" 2)"
    echo
  done
  echo "  links: curl -s http://127.0.0.1:$(svc_port CAS 3)/api/v1/sites; stop: ./statesys hierarchy down [--clusters]"
}

cmd_down() {
  local site entry svc p
  for site in $SITES; do
    for entry in $(site_services "$site"); do
      svc="${entry%%:*}"; p="$(pid_of "hierarchy-$site-$svc")"
      if [ -n "$p" ] && kill -0 "$p" 2>/dev/null; then
        kill "$p"; for _ in $(seq 1 40); do kill -0 "$p" 2>/dev/null || break; sleep 0.25; done
        kill -0 "$p" 2>/dev/null && kill -9 "$p"
      fi
      rm -f "$RUN_DIR/hierarchy-$site-$svc.pid"
    done
  done
  if [ "${1:-}" = --clusters ]; then
    for site in $SITES; do as_root pg_ctlcluster --skip-systemctl-redirect "$PG_VERSION" "$(cluster_name "$site")" stop 2>/dev/null || true; done
    log "hierarchy stopped, clusters too (data kept; pg_dropcluster $PG_VERSION statesys_cas … removes them)"
  else
    log "hierarchy services stopped (clusters still running)"
  fi
}

cmd_destroy() {
  cmd_down --clusters
  local site
  for site in $SITES; do
    if pg_lsclusters -h | awk -v n="$(cluster_name "$site")" '$2==n' | grep -q .; then
      as_root pg_dropcluster "$PG_VERSION" "$(cluster_name "$site")"
    fi
  done
  rm -f "$H_DIR"/replication-password*
  log "hierarchy clusters dropped"
}

cmd_status() {
  local site
  for site in $SITES; do
    echo "$site ($(cluster_name "$site"), port $(pg_port "$site")):"
    curl -fsS "http://127.0.0.1:$(svc_port "$site" 3)/api/v1/sites" 2>/dev/null | sed 's/^/  /' || echo "  processor not answering"
    echo
  done
}

cmd_clusters() {
  ensure_postgres   # installs PostgreSQL when the machine has none
  local site
  for site in $SITES; do ensure_cluster "$site"; done
  for site in $SITES; do echo "$site $(pg_port "$site")"; done
}

# CPU seconds of all the postgres processes of one cluster (by its data directory's postmaster), children reaped included
cluster_cpu() { postmaster_cpu "$(head -1 "/var/lib/postgresql/$PG_VERSION/$(cluster_name "$1")/postmaster.pid")"; }
percentiles() { sort -n | awk '{a[NR]=$1} END {if (NR==0) {print "no samples"; exit}; i50=int(NR*0.5)+1; if (i50>NR) i50=NR; i99=int(NR*0.99)+1; if (i99>NR) i99=NR; printf "p50 %.3f s  p99 %.3f s  max %.3f s  (%d samples)\n", a[i50], a[i99], a[NR], NR}'; }

cmd_bench() {
  local clients=5000 updates=100 outage_clients=2000
  while [ $# -gt 0 ]; do
    case "$1" in
      --clients) clients="$2"; shift 2 ;;
      --updates) updates="$2"; shift 2 ;;
      --outage-clients) outage_clients="$2"; shift 2 ;;
      *) die "unknown option $1" ;;
    esac
  done
  http_ok "$(svc_port CAS 3)" /q/health/ready && http_ok "$(svc_port PS1 1)" /q/health/ready || die "start the hierarchy first (./statesys hierarchy up)"
  local token samples sub="statesys_up_ps1" sim_pid ws cpu0 cpu1 pg0 pg1 t0 t1 msgs
  token="$(admin_token)"; samples="$(mktemp)"
  local sim=(simulate --scenario patch-tuesday --per-report 50 --fsp none
    --relay "http://127.0.0.1:$(svc_port PS1 1)" --processor "http://127.0.0.1:$(svc_port PS1 3)"
    --resync "http://127.0.0.1:$(svc_port PS1 4)" --admin-token "$token" --concurrency 8
    --jdbc "jdbc:postgresql://127.0.0.1:$(pg_port PS1)/statesys" --db-password postgres --no-audit)
  ws="$(psql_site PS1 -d statesys -tAc "select pid from pg_stat_replication where application_name = '$sub'")"
  [ -n "$ws" ] || die "no walsender for $sub at PS1: is the link up? (scripts/hierarchy.sh status)"
  log "1/2 lag: $clients clients x $updates updates at PS1, lag sampled at PS1 (pg_stat_replication.replay_lag of $sub)"
  cpu0="$(cpu_of "$ws")"; pg0="$(cluster_cpu PS1)"; t0="$(date +%s.%N)"
  exec_sim "${sim[@]}" --clients "$clients" --updates "$updates" --seed "$((RANDOM * 32768 + RANDOM))" > "$H_DIR/bench-load.log" 2>&1 &
  sim_pid=$!
  while kill -0 "$sim_pid" 2>/dev/null; do
    psql_site PS1 -d statesys -tAc "select coalesce(extract(epoch from replay_lag), 0) from pg_stat_replication where application_name = '$sub'" >> "$samples" || true
    sleep 0.25
  done
  wait "$sim_pid" || die "the load failed: $H_DIR/bench-load.log"
  t1="$(date +%s.%N)"; cpu1="$(cpu_of "$ws")"; pg1="$(cluster_cpu PS1)"
  msgs="$(grep -o 'accepted=[0-9]*' "$H_DIR/bench-load.log" | tail -1 | cut -d= -f2)"
  echo "load at PS1:      $(grep '^result' "$H_DIR/bench-load.log")"
  echo "lag at CAS:       $(grep -v '^$' "$samples" | percentiles)"
  awk -v w0="$cpu0" -v w1="$cpu1" -v p0="$pg0" -v p1="$pg1" -v t0="$t0" -v t1="$t1" -v m="$msgs" 'BEGIN {
    printf "walsender CPU:    %.2f s over %.0f s (%.1f %% of PS1 PostgreSQL'"'"'s %.2f s; %.2f us per message)\n", w1-w0, t1-t0, 100*(w1-w0)/(p1-p0), p1-p0, 1e6*(w1-w0)/m }'
  rm -f "$samples"

  log "2/2 catch-up: CAS stopped, $outage_clients clients x $updates updates at PS1, CAS started"
  as_root pg_ctlcluster --skip-systemctl-redirect "$PG_VERSION" "$(cluster_name CAS)" stop -m fast
  run_sim "${sim[@]}" --clients "$outage_clients" --updates "$updates" --seed "$((RANDOM * 32768 + RANDOM))" > "$H_DIR/bench-outage.log" 2>&1 || { as_root pg_ctlcluster --skip-systemctl-redirect "$PG_VERSION" "$(cluster_name CAS)" start; die "the load failed: $H_DIR/bench-outage.log"; }
  local target backlog
  target="$(psql_site PS1 -d statesys -tAc "select pg_current_wal_lsn()")"
  backlog="$(psql_site PS1 -d statesys -tAc "select pg_wal_lsn_diff('$target', confirmed_flush_lsn) from pg_replication_slots where slot_name = '$sub'")"
  msgs="$(grep -o 'accepted=[0-9]*' "$H_DIR/bench-outage.log" | tail -1 | cut -d= -f2)"
  t0="$(date +%s.%N)"
  as_root pg_ctlcluster --skip-systemctl-redirect "$PG_VERSION" "$(cluster_name CAS)" start
  until [ "$(psql_site PS1 -d statesys -tAc "select coalesce(pg_wal_lsn_diff(confirmed_flush_lsn, '$target') >= 0, false) from pg_replication_slots where slot_name = '$sub'")" = t ]; do sleep 0.1; done
  t1="$(date +%s.%N)"
  awk -v b="$backlog" -v t0="$t0" -v t1="$t1" -v m="$msgs" 'BEGIN {
    printf "catch-up:         %.1f MB of WAL kept by the slot during the outage (%d messages), applied at CAS in %.1f s from its start: %.1f MB/s, %.0f messages/s\n", b/1e6, m, t1-t0, b/1e6/(t1-t0), m/(t1-t0) }'
}

cmd_simulate() {
  local args=() site
  for site in PS1 PS2; do
    args+=(--site "$site" --relay "http://127.0.0.1:$(svc_port "$site" 1)" --processor "http://127.0.0.1:$(svc_port "$site" 3)"
           --resync "http://127.0.0.1:$(svc_port "$site" 4)" --jdbc "jdbc:postgresql://127.0.0.1:$(pg_port "$site")/statesys")
  done
  local token="${STATESYS_ADMIN_TOKEN:-$(admin_token)}"   # the one `up` gave the services
  run_sim hierarchy "${args[@]}" --central-jdbc "jdbc:postgresql://127.0.0.1:$(pg_port CAS)/statesys" \
    ${token:+--admin-token "$token"} "$@"
}

cmd_env() {
  local site="${1:?site}"
  echo "PG_PORT=$(pg_port "$site")"
  echo "RELAY_URL=http://127.0.0.1:$(svc_port "$site" 1)"
  echo "FSP_URL=http://127.0.0.1:$(svc_port "$site" 2)"
  echo "PROCESSOR_URL=http://127.0.0.1:$(svc_port "$site" 3)"
  echo "RESYNC_URL=http://127.0.0.1:$(svc_port "$site" 4)"
}

case "${1:-}" in
  up) shift; cmd_up "$@" ;;
  down) shift; cmd_down "$@" ;;
  destroy) shift; cmd_destroy ;;
  status) shift; cmd_status ;;
  clusters) shift; cmd_clusters ;;
  bench) shift; cmd_bench "$@" ;;
  simulate) shift; cmd_simulate "$@" ;;
  env) shift; cmd_env "$@" ;;
  *) sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
