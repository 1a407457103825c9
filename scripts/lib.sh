# Functions the statesys script and the scripts/ tools share (sourced, not run).
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUN_DIR="$ROOT/.statesys"
LOG_DIR="$RUN_DIR/logs"

# STATESYS_HA=1: the site database is the local high-availability cluster (scripts/ha.sh), reached
# through its write endpoint
if [ "${STATESYS_HA:-0}" = 1 ]; then : "${STATESYS_DB_PORT:=${STATESYS_HA_WRITE_PORT:-5450}}"; fi
: "${STATESYS_DB_HOST:=127.0.0.1}"
: "${STATESYS_DB_PORT:=5432}"
: "${STATESYS_DB_NAME:=statesys}"
: "${STATESYS_DB_USER:=postgres}"
: "${STATESYS_DB_PASSWORD:=postgres}"
export STATESYS_DB_HOST STATESYS_DB_PORT STATESYS_DB_NAME STATESYS_DB_USER STATESYS_DB_PASSWORD

# service:port (ports overridable: RELAY_PORT, FSP_PORT, PROCESSOR_PORT, RESYNC_PORT)
services() {
  echo "mp-relay-service:${RELAY_PORT:-8081}"
  echo "fallback-status-service:${FSP_PORT:-8082}"
  echo "state-processor-service:${PROCESSOR_PORT:-8083}"
  echo "resync-service:${RESYNC_PORT:-8084}"
}

# CPU seconds (user + system, clock ticks / 100) of one process
cpu_of() { awk '{print ($14 + $15) / 100}' "/proc/$1/stat" 2>/dev/null || echo 0; }
# CPU seconds of a PostgreSQL postmaster and its processes: the live ones and those it has reaped
# (backends whose connections have closed)
postmaster_cpu() {
  local total c; total="$(awk '{print ($14 + $15 + $16 + $17) / 100}' "/proc/$1/stat")"
  for c in $(pgrep -P "$1"); do total="$(echo "$total $(cpu_of "$c")" | awk '{print $1 + $2}')"; done
  echo "$total"
}
# The pid of the postmaster serving database $1 (found through its checkpointer). Needs PG* connection variables.
postmaster_of() {
  ps -o ppid= -p "$(psql -Atd "$1" -c "SELECT pid FROM pg_stat_activity WHERE backend_type = 'checkpointer'")" | tr -d ' '
}
# Waits until database $1 has no backends left, and a moment for the postmaster to reap them: a
# client (psql, pgbench) returns before its backend has exited, whose CPU postmaster_cpu counts only
# once it has been reaped. Needs PG* connection variables.
backends_gone() {
  while [ "$(psql -Atd postgres -c "SELECT count(*) FROM pg_stat_activity WHERE datname = '$1' AND pid <> pg_backend_pid()")" != 0 ]; do
    sleep 0.05
  done
  sleep 0.2
}

log() { printf '\033[1m[statesys]\033[0m %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else die "need root for: $*"; fi
}

as_postgres() {
  if [ "$(id -u)" -eq 0 ]; then su postgres -s /bin/sh -c "$*"; else sudo -u postgres sh -c "$*"; fi
}

# The build needs a JDK and Maven; README's examples use curl and iconv (libc-bin). Anything
# missing is installed from Debian's packages.
ensure_tools() {
  local need=()
  command -v javac >/dev/null || need+=(openjdk-17-jdk-headless)
  command -v mvn >/dev/null || need+=(maven)
  command -v curl >/dev/null || need+=(curl)
  command -v iconv >/dev/null || need+=(libc-bin)
  if [ ${#need[@]} -gt 0 ]; then
    log "installing ${need[*]}"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  fi
}

# http_ok PORT PATH: true when 127.0.0.1:PORT answers PATH with 200. Bash's /dev/tcp, so that
# readiness needs no HTTP client on the machine.
http_ok() {
  local status
  status="$( (exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 1
              printf 'GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' "$2" >&3
              IFS=' ' read -r -t 10 _ code _ <&3 && echo "$code") 2>/dev/null)" || return 1
  [ "$status" = 200 ]
}

# port_taken PORT: true when something already listens on 127.0.0.1:PORT.
port_taken() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

pg_local() { [ "$STATESYS_DB_HOST" = "127.0.0.1" ] || [ "$STATESYS_DB_HOST" = "localhost" ]; }

# psql on the maintenance database with the configured login
pg_admin() {
  PGPASSWORD="$STATESYS_DB_PASSWORD" psql -q -h "$STATESYS_DB_HOST" -p "$STATESYS_DB_PORT" -U "$STATESYS_DB_USER" -d postgres "$@"
}

pg_login_ok() { pg_admin -tAc 'select 1' >/dev/null 2>&1; }

# pg_at PORT DATABASE SQL: one statement's rows, unaligned, on the configured host and login at
# another port (a backup's restored copy, a drill's clusters)
pg_at() {
  PGPASSWORD="$STATESYS_DB_PASSWORD" psql -q -h "$STATESYS_DB_HOST" -p "$1" -U "$STATESYS_DB_USER" -d "$2" -tAc "$3"
}

# Makes sure a PostgreSQL server answers on STATESYS_DB_HOST:PORT with the configured login.
# On this machine: installs Debian's postgresql if absent, starts the newest cluster, and sets the
# password TCP logins need (a fresh Debian cluster uses scram auth on 127.0.0.1).
ensure_postgres() {
  if ! pg_local; then
    command -v psql >/dev/null || { as_root apt-get update -qq; as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-client >/dev/null; }
    pg_login_ok || die "cannot log in to Postgres at $STATESYS_DB_HOST:$STATESYS_DB_PORT as $STATESYS_DB_USER"
    return
  fi
  if ! command -v pg_lsclusters >/dev/null; then
    log "installing PostgreSQL (Debian package)"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  fi
  local ver
  ver="$(ls /etc/postgresql 2>/dev/null | sort -V | tail -1)"
  [ -n "$ver" ] || die "no PostgreSQL cluster found under /etc/postgresql"
  if ! pg_lsclusters -h | awk -v v="$ver" '$1==v && $2=="main" {print $4}' | grep -q online; then
    log "starting PostgreSQL $ver"
    as_root pg_ctlcluster --skip-systemctl-redirect "$ver" main start
  fi
  for _ in $(seq 1 60); do
    pg_isready -q -h "$STATESYS_DB_HOST" -p "$STATESYS_DB_PORT" && break
    sleep 0.5
  done
  pg_isready -q -h "$STATESYS_DB_HOST" -p "$STATESYS_DB_PORT" || die "PostgreSQL does not answer on $STATESYS_DB_HOST:$STATESYS_DB_PORT"
  if ! pg_login_ok; then
    log "setting the password of role $STATESYS_DB_USER for TCP logins"
    as_postgres "psql -q -c \"ALTER ROLE $STATESYS_DB_USER WITH LOGIN SUPERUSER PASSWORD '$STATESYS_DB_PASSWORD'\"" \
      || as_postgres "psql -q -c \"CREATE ROLE $STATESYS_DB_USER WITH LOGIN SUPERUSER PASSWORD '$STATESYS_DB_PASSWORD'\""
    pg_login_ok || die "cannot log in to Postgres as $STATESYS_DB_USER"
  fi
}

ensure_database() {
  local exists
  exists="$(pg_admin -tAc "select 1 from pg_database where datname = '$STATESYS_DB_NAME'")"
  if [ "$exists" != "1" ]; then
    log "creating database $STATESYS_DB_NAME"
    pg_admin -c "CREATE DATABASE $STATESYS_DB_NAME"
  fi
}

build_if_missing() {
  local missing=0
  while IFS=: read -r svc _; do
    [ -f "$ROOT/$svc/target/quarkus-app/quarkus-run.jar" ] || missing=1
  done < <(services)
  [ -f "$ROOT/client-simulator/target/statesys-sim.jar" ] || missing=1
  if [ "$missing" = 1 ] || [ "${STATESYS_REBUILD:-0}" = 1 ]; then
    log "building (mvn -B -DskipTests package)"
    (cd "$ROOT" && mvn -B -q -DskipTests package) || die "build failed"
  fi
}

pid_of() { cat "$RUN_DIR/$1.pid" 2>/dev/null || true; }
running() { local p; p="$(pid_of "$1")"; [ -n "$p" ] && kill -0 "$p" 2>/dev/null; }

wait_ready() {
  local svc="$1" port="$2" deadline=$((SECONDS + ${STATESYS_START_TIMEOUT:-90}))
  while [ $SECONDS -lt $deadline ]; do
    if http_ok "$port" /q/health/ready; then return 0; fi
    running "$svc" || { tail -n 30 "$LOG_DIR/$svc.log" >&2; die "$svc exited during start (log: $LOG_DIR/$svc.log)"; }
    sleep 0.5
  done
  tail -n 30 "$LOG_DIR/$svc.log" >&2
  die "$svc not ready on port $port in time (log: $LOG_DIR/$svc.log)"
}

# start_jar SERVICE PORT LOG PIDNAME: the service's runnable jar in the background (env as set), on
# STATESYS_JAVA (default java) with STATESYS_JAVA_OPTS; with STATESYS_NATIVE=1 its native
# executable (target/*-runner, built by ./statesys native)
# The services listen on 127.0.0.1 only unless STATESYS_BIND_HOST says otherwise (0.0.0.0 to serve
# other machines): a developer's run is not an open relay on every network the machine is on.
start_jar() {
  if [ "$1" = fallback-status-service ] && [ -n "${STATESYS_ADMIN_TOKEN:-}" ]; then
    # the FSP faces the internet: it checks admin calls against the token's digest, never holds the token
    (STATESYS_ADMIN_TOKEN_SHA256="$(printf %s "$STATESYS_ADMIN_TOKEN" | sha256sum | cut -d' ' -f1)"
     export STATESYS_ADMIN_TOKEN_SHA256; unset STATESYS_ADMIN_TOKEN; start_jar_as_is "$@")
    return
  fi
  start_jar_as_is "$@"
}

start_jar_as_is() {
  local bind="-Dquarkus.http.host=${STATESYS_BIND_HOST:-127.0.0.1}"
  if [ "${STATESYS_NATIVE:-0}" = 1 ]; then
    local exe
    exe="$(ls "$ROOT/$1"/target/*-runner 2>/dev/null | head -1)"
    [ -n "$exe" ] && [ -x "$exe" ] || die "$1 has no native executable in target/ (./statesys native)"
    # shellcheck disable=SC2086
    nohup "$exe" ${STATESYS_NATIVE_OPTS:-} "$bind" -Dquarkus.http.port="$2" >"$3" 2>&1 &
  else
    # shellcheck disable=SC2086
    nohup "${STATESYS_JAVA:-java}" ${STATESYS_JAVA_OPTS:--Xmx512m} "$bind" -Dquarkus.http.port="$2" -jar "$ROOT/$1/target/quarkus-app/quarkus-run.jar" >"$3" 2>&1 &
  fi
  echo $! >"$RUN_DIR/$4.pid"
}


# The version a java executable reports ("17.0.15"), for labels.
java_version() { "$1" -version 2>&1 | awk -F'"' '/version/ {print $2; exit}'; }

# The Debian mirror this machine's apt uses (for debootstrap).
debian_mirror() {
  local m
  m="$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null)"
  [ -n "$m" ] || m="$(awk '/^deb / {print $2; exit}' /etc/apt/sources.list)"
  echo "$m"
}

# The secrets of a local run (docs/api.md, "Client identity"): the internal token the FSP shows the
# relay and the admin token, generated by `up` unless given (STATESYS_INTERNAL_TOKEN,
# STATESYS_ADMIN_TOKEN), kept in .statesys/ readable by this user only, so that services started
# later, `simulate` and `send` use the same ones.
random_token() { head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n'; }

ensure_run_secrets() {
  mkdir -p "$RUN_DIR"
  local name var file
  for name in internal admin; do
    var="STATESYS_$(echo "$name" | tr a-z A-Z)_TOKEN"
    file="$RUN_DIR/$name-token"
    if [ -z "${!var:-}" ]; then
      if [ -s "$file" ]; then printf -v "$var" '%s' "$(cat "$file")"; else printf -v "$var" '%s' "$(random_token)"; fi
    fi
    (umask 077; printf '%s\n' "${!var}" > "$file")
    export "${var?}"
  done
}

# The admin token of the local run, if `up` made one.
admin_token() { cat "$RUN_DIR/admin-token" 2>/dev/null || true; }

# The simulator jar (client models, benchmarks, send), built when missing.
sim_jar() {
  [ -f "$ROOT/client-simulator/target/statesys-sim.jar" ] || (cd "$ROOT" && mvn -B -q -DskipTests package -pl client-simulator -am)
  echo "$ROOT/client-simulator/target/statesys-sim.jar"
}

# The simulator on STATESYS_SIM_JAVA (default java) with STATESYS_SIM_JAVA_OPTS, for every command
# and script that starts it: a bench can put the load generator on another JVM than the services.
run_sim() {
  # shellcheck disable=SC2086
  "${STATESYS_SIM_JAVA:-java}" ${STATESYS_SIM_JAVA_OPTS:-} -jar "$(sim_jar)" "$@"
}

# The same for a simulator in the background (`exec_sim … &`): it replaces the forked shell, so `$!`
# is the simulator's own pid and `kill`/`wait` reach it (a function run with `&` would leave its
# java a child of the shell that `kill` stops).
exec_sim() {
  # shellcheck disable=SC2086
  exec "${STATESYS_SIM_JAVA:-java}" ${STATESYS_SIM_JAVA_OPTS:-} -jar "$(sim_jar)" "$@"
}

# The PostgreSQL settings that matter to Statesys, and a warning when autovacuum is off: the inbox
# is a queue (every row inserted, then deleted), and without autovacuum its dead rows pile up.
pg_report_settings() {
  local rows
  rows="$(pg_admin -tA -F ' = ' -c "select name, current_setting(name) from pg_settings
          where name in ('autovacuum', 'synchronous_commit', 'shared_buffers', 'max_connections', 'max_wal_size',
                         'checkpoint_timeout') order by name" 2>/dev/null)" || return 0
  log "PostgreSQL settings: $(echo "$rows" | tr '\n' ';' | sed 's/;$//; s/;/; /g')"
  if echo "$rows" | grep -q '^autovacuum = off'; then
    log "warning: autovacuum is off on this server; production must not run so (the inbox churns: docs/operating.md, \"Operating Statesys\")"
  fi
  # below 4 GB a burst checkpoints by WAL volume every minute or two, and each checkpoint's
  # full-page images lengthen the relay's commits (docs/operating.md, "Checkpoints and the relay's latency")
  if [ "$(pg_admin -tA -c "select setting::bigint < 4096 from pg_settings where name = 'max_wal_size'" 2>/dev/null)" = t ]; then
    log "note: max_wal_size is under 4 GB on this server; a burst will checkpoint by WAL volume, and the relay's p99 rises after each checkpoint"
  fi
}
