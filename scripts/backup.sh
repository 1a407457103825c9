#!/usr/bin/env bash
# Continuous backup of a site's database with pgBackRest, and restore to a point in time
# (docs/operating.md, "Backup and recovery").
#
#   ./statesys backup [--type full|diff|incr]   turn on WAL archiving if it is off (one restart of the
#                                  cluster), make the stanza, take a backup (default incr: the first is
#                                  a full one), expire what retention no longer keeps, and record the
#                                  backup in the site database (table site_backup: the backup-age metric)
#   ./statesys backup info         the backups with their size and WAL range, and the repository's size
#   ./statesys backup check        archiving works (pgbackrest check) and every backup and WAL file in
#                                  the repository reads back with its checksum (pgbackrest verify)
#   ./statesys restore [--to TIME | --latest] [--into NAME] [--port N] [--force]
#                                  restore into a new cluster NAME (default `restored`) on port N (default:
#                                  the first free of 5460-5479), start it, and say what the restored site
#                                  holds. TIME as PostgreSQL reads it ("2026-12-07 05:30:00+00"). An
#                                  existing cluster NAME — the backed-up one included — is replaced only
#                                  with --force (stopped, then restored in place, archiving kept on).
#   ./statesys restore --drop NAME stop and remove a restored cluster
#   ./statesys backup forget       delete the stanza from the repository, backups and WAL with it, and
#                                  its configuration (the drill and the bench clean up with it)
#   ./statesys backup bench        backup and restore times and sizes per million latest states
#                                  (scripts/backup-bench.sh)
#
# The database is the one STATESYS_DB_PORT names (./statesys up's, 5432, by default): a local Debian
# cluster (pg_lsclusters), or with STATESYS_HA=1 the high-availability cluster of scripts/ha.sh (the
# backup is taken from its leader; every member archives its WAL into the same stanza).
#
# Settings (environment):
#   STATESYS_BACKUP_STANZA          pgBackRest stanza (default statesys)
#   STATESYS_BACKUP_REPO            repository directory (default /var/lib/pgbackrest); S3-compatible
#                                   storage: docs/operating.md
#   STATESYS_BACKUP_RETENTION_FULL  full backups kept (default 2); WAL older than the oldest kept
#                                   full backup is expired with it
#   STATESYS_BACKUP_RETENTION_DIFF  differential backups kept (default 6)
#   STATESYS_BACKUP_ARCHIVE_TIMEOUT archive_timeout: a quiet site's WAL is archived at least this often,
#                                   which bounds what a lost server loses (default 60s)
#   STATESYS_BACKUP_PROCESS_MAX     parallel processes of a backup or restore (default 2)
#   STATESYS_BACKUP_OPTIONS         more pgBackRest options for the stanza, one key=value per line (an
#                                   S3-compatible repository: repo1-type=s3, repo1-s3-bucket=…; the
#                                   keys from PGBACKREST_REPO1_S3_KEY/_KEY_SECRET in the environment)
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"

STANZA="${STATESYS_BACKUP_STANZA:-statesys}"
REPO="${STATESYS_BACKUP_REPO:-/var/lib/pgbackrest}"
RETENTION_FULL="${STATESYS_BACKUP_RETENTION_FULL:-2}"
RETENTION_DIFF="${STATESYS_BACKUP_RETENTION_DIFF:-6}"
ARCHIVE_TIMEOUT="${STATESYS_BACKUP_ARCHIVE_TIMEOUT:-60s}"
PROCESS_MAX="${STATESYS_BACKUP_PROCESS_MAX:-2}"
OPTIONS="${STATESYS_BACKUP_OPTIONS:-}"
CONF="/etc/pgbackrest/conf.d/statesys-$STANZA.conf"

pgbr() { as_postgres "pgbackrest --stanza=$STANZA $*"; }
sql() { pg_admin -tAc "$1"; }

# the site's database answers (the high-availability cluster's leader through its write endpoint)
ensure_site_database() {
  if [ "${STATESYS_HA:-0}" = 1 ]; then
    "$ROOT/scripts/ha.sh" wait-writable 60 || die "backup: the high-availability cluster has no leader (./statesys ha status)"
  else
    ensure_postgres
  fi
}

ensure_pgbackrest() {
  command -v pgbackrest >/dev/null && return
  log "installing pgbackrest (Debian package)"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq pgbackrest >/dev/null
}

# The cluster behind STATESYS_DB_PORT: sets VERSION, CLUSTER, DATA (HA: the leader's member)
find_cluster() {
  pg_local || die "backup: the database must be on this machine (STATESYS_DB_HOST=$STATESYS_DB_HOST); on Kubernetes CloudNativePG backs it up"
  if [ "${STATESYS_HA:-0}" = 1 ]; then
    CLUSTER=ha VERSION="$(ls /etc/postgresql | sort -V | tail -1)"
    DATA="$(sql 'show data_directory')"
    PG_PORT="$(sql 'show port')"
    return
  fi
  local row
  row="$(pg_lsclusters -h | awk -v p="$STATESYS_DB_PORT" '$3==p {print $1, $2, $6; exit}')"
  [ -n "$row" ] || die "backup: no local Debian cluster listens on port $STATESYS_DB_PORT"
  read -r VERSION CLUSTER DATA <<<"$row"
  PG_PORT="$STATESYS_DB_PORT"
}

write_config() {
  as_root mkdir -p /etc/pgbackrest/conf.d "$REPO"
  as_root chown postgres:postgres "$REPO"
  local pg_lines
  if [ "$CLUSTER" = ha ]; then
    # every member: the backup is taken from the leader, the others are standbys pgBackRest may read
    pg_lines="$("$ROOT/scripts/ha.sh" members | awk '{printf "pg%d-path=%s\npg%d-port=%s\npg%d-socket-path=/var/run/postgresql\n", NR, $2, NR, $3, NR}')"
  else
    pg_lines="pg1-path=$DATA
pg1-port=$PG_PORT
pg1-socket-path=/var/run/postgresql"
  fi
  as_root tee "$CONF" >/dev/null <<EOF
# written by scripts/backup.sh for the Statesys site database on port $STATESYS_DB_PORT
[$STANZA]
$pg_lines
repo1-path=$REPO
repo1-retention-full=$RETENTION_FULL
repo1-retention-diff=$RETENTION_DIFF
compress-type=lz4
process-max=$PROCESS_MAX
start-fast=y
archive-async=n
log-level-console=warn
log-level-file=info
$OPTIONS
EOF
  as_root chmod 644 "$CONF"
}

# archive_mode needs a restart; archive_command and archive_timeout a reload
ensure_archiving() {
  local cmd="pgbackrest --stanza=$STANZA archive-push %p"
  if [ "$CLUSTER" = ha ]; then
    # every member archives from its own data directory (the archiver's working directory), which
    # pgBackRest checks against pg1-path
    "$ROOT/scripts/ha.sh" set-parameters archive_mode=on \
      "archive_command=pgbackrest --stanza=$STANZA --pg1-path=\$PWD archive-push %p" "archive_timeout=$ARCHIVE_TIMEOUT"
    return
  fi
  local mode
  mode="$(sql 'show archive_mode')"
  sql "ALTER SYSTEM SET archive_command = '$cmd'" >/dev/null
  sql "ALTER SYSTEM SET archive_timeout = '$ARCHIVE_TIMEOUT'" >/dev/null
  if [ "$mode" = off ]; then
    sql "ALTER SYSTEM SET archive_mode = 'on'" >/dev/null
    log "backup: turning on WAL archiving: restarting PostgreSQL $VERSION/$CLUSTER once"
    as_root pg_ctlcluster --skip-systemctl-redirect "$VERSION" "$CLUSTER" restart -m fast
    for _ in $(seq 1 60); do pg_isready -q -h 127.0.0.1 -p "$STATESYS_DB_PORT" && break; sleep 0.5; done
  else
    sql 'SELECT pg_reload_conf()' >/dev/null
  fi
}

ensure_stanza() {
  [ -f "$CONF" ] || write_config
  pgbr stanza-create >/dev/null 2>&1 || pgbr stanza-upgrade >/dev/null
}

cmd_backup() {
  local type=incr
  while [ $# -gt 0 ]; do
    case "$1" in
      --type) type="$2"; shift ;;
      full|diff|incr) type="$1" ;;
      *) die "backup: unknown option $1 (--type full|diff|incr)" ;;
    esac
    shift
  done
  ensure_pgbackrest
  ensure_site_database
  find_cluster
  write_config
  ensure_archiving
  ensure_stanza
  local t0=$SECONDS
  log "backup: $type backup of $VERSION/$CLUSTER ($DATA) into $REPO, stanza $STANZA"
  pgbr "--type=$type" backup
  record_backup "$((SECONDS - t0))"
  cmd_info
}

# The newest backup as a row of site_backup in the site database (when the services have made the
# schema): the processor's backup-age metric reads it, and a restore brings back the rows of the
# backups it came from.
record_backup() {
  local json label type start stop size repo_size wal_start wal_stop
  json="$(pgbr --output=json info)"
  # psql reads pgBackRest's JSON (no other JSON tool is needed on the machine)
  read -r label type start stop size repo_size wal_start wal_stop < <(PGPASSWORD="$STATESYS_DB_PASSWORD" psql -q -h "$STATESYS_DB_HOST" \
    -p "$STATESYS_DB_PORT" -U "$STATESYS_DB_USER" -d postgres -tA -F ' ' -v "j=$json" <<'SQL'
SELECT b->>'label', b->>'type', b->'timestamp'->>'start', b->'timestamp'->>'stop', b->'info'->>'size',
       b->'info'->'repository'->>'delta', b->'archive'->>'start', b->'archive'->>'stop'
FROM (SELECT (:'j'::json)->0->'backup'->-1 AS b) newest;
SQL
  )
  log "backup: $label ($type) took $1 s: database $(numfmt --to=iec "$size"), stored $(numfmt --to=iec "$repo_size"), WAL $wal_start … $wal_stop"
  if [ "$(pg_at "$STATESYS_DB_PORT" "$STATESYS_DB_NAME" "select to_regclass('site_backup') is not null" 2>/dev/null)" = t ]; then
    pg_at "$STATESYS_DB_PORT" "$STATESYS_DB_NAME" "INSERT INTO site_backup (label, backup_type, started_at, completed_at, database_bytes, stored_bytes, wal_start, wal_stop)
      VALUES ('$label', '$type', to_timestamp($start), to_timestamp($stop), $size, $repo_size, '$wal_start', '$wal_stop')
      ON CONFLICT (label) DO NOTHING" >/dev/null
  else
    log "backup: no site_backup table in database $STATESYS_DB_NAME yet (the services make it); the backup-age metric starts with the next backup"
  fi
}

cmd_info() {
  [ -f "$CONF" ] || die "backup: no stanza $STANZA yet (./statesys backup)"
  pgbr info
  echo "repository $REPO: $(du -sh "$REPO" 2>/dev/null | cut -f1)"
}

cmd_check() {
  [ -f "$CONF" ] || die "backup: no stanza $STANZA yet (./statesys backup)"
  ensure_site_database
  pgbr check
  log "backup: WAL archiving works (a WAL switch reached the repository)"
  pgbr verify
  log "backup: every backup and WAL file in $REPO reads back with its checksum"
}

cmd_forget() {
  [ -f "$CONF" ] || return 0
  pgbr stop >/dev/null 2>&1 || true
  pgbr stanza-delete --force >/dev/null 2>&1 || true
  pgbr start >/dev/null 2>&1 || true
  as_root rm -f "$CONF"
  log "backup: stanza $STANZA deleted from $REPO"
}

# --- restore ---------------------------------------------------------------------------------

free_port() {
  local p
  for p in $(seq 5460 5479); do
    port_taken "$p" || pg_lsclusters -h | awk -v p="$p" '$3==p' | grep -q . || { echo "$p"; return; }
  done
  die "restore: no free port in 5460-5479 (--port N)"
}

cmd_restore() {
  local to="" latest=0 name=restored port="${STATESYS_RESTORE_PORT:-}" force=0 drop=""
  while [ $# -gt 0 ]; do
    case "$1" in
      --to) to="$2"; shift ;;
      --latest) latest=1 ;;
      --into) name="$2"; shift ;;
      --port) port="$2"; shift ;;
      --force) force=1 ;;
      --drop) drop="$2"; shift ;;
      *) die "restore: unknown option $1 (--to TIME | --latest, --into NAME, --port N, --force, --drop NAME)" ;;
    esac
    shift
  done
  local version
  version="$(ls /etc/postgresql | sort -V | tail -1)"
  if [ -n "$drop" ]; then
    [[ "$drop" =~ ^[A-Za-z0-9_]+$ ]] || die "restore: a cluster name is letters, digits and _"
    if pg_lsclusters -h | awk -v n="$drop" '$2==n' | grep -q .; then
      as_root pg_dropcluster --stop "$version" "$drop"
      log "restore: cluster $version/$drop stopped and removed"
    fi
    return
  fi
  ensure_pgbackrest
  [ -f "$CONF" ] || die "restore: no stanza $STANZA (take a backup first: ./statesys backup)"
  [ -z "$to" ] || [ "$latest" = 0 ] || die "restore: --to or --latest, not both"
  [[ "$name" =~ ^[A-Za-z0-9_]+$ ]] || die "restore: --into takes letters, digits and _"
  local target=(--type=default) in_place=0 data row
  [ -z "$to" ] || target=(--type=time "--target='$to'" --target-action=promote)
  row="$(pg_lsclusters -h | awk -v n="$name" -v v="$version" '$1==v && $2==n {print $3, $6; exit}')"
  if [ -n "$row" ]; then
    [ "$force" = 1 ] || die "restore: cluster $version/$name exists (port ${row%% *}); --force replaces it"
    read -r port data <<<"$row"
    in_place=1
    log "restore: stopping $version/$name to restore over it"
    as_root pg_ctlcluster --skip-systemctl-redirect "$version" "$name" stop -m fast || true
  else
    data="/var/lib/postgresql/$version/$name"
    if [ -e "$data" ]; then
      [ "$force" = 1 ] || die "restore: $data exists; --force replaces it"
      as_root rm -rf "$data"
    fi
    [ -n "$port" ] || port="$(free_port)"
    # a new Debian cluster for its configuration (/etc/postgresql/…), its data directory then emptied
    # for the restore
    as_root pg_createcluster "$version" "$name" -d "$data" -p "$port" >/dev/null
    trap 'log "restore: failed; removing the cluster it made"; as_root pg_dropcluster --stop "$version" "$name" >/dev/null 2>&1 || true' ERR
    as_root find "$data" -mindepth 1 -delete
    copy_configuration "$version" "$name"
  fi
  local t0=$SECONDS
  if [ "$in_place" = 0 ] && pg_isready -q -h 127.0.0.1 -p "$STATESYS_DB_PORT"; then
    # the site it came from still runs: its current WAL segment into the archive first, so that a
    # restore to a moment of the last minutes finds it (a lost server loses up to archive_timeout)
    pgbr check >/dev/null 2>&1 || log "restore: warning: the running site's last WAL segment could not be archived"
  fi
  log "restore: stanza $STANZA into $data ($([ -n "$to" ] && echo "to $to" || echo "to the end of the archived WAL"))"
  # a copy does not archive into the stanza it came from; a cluster restored in place keeps archiving
  pgbr "--pg1-path=$data" "--archive-mode=$([ "$in_place" = 1 ] && echo preserve || echo off)" \
    --process-max="$PROCESS_MAX" "$([ "$in_place" = 1 ] && echo --delta)" "${target[@]}" restore
  as_root pg_ctlcluster --skip-systemctl-redirect "$version" "$name" start
  local deadline=$((SECONDS + 600))
  until [ "$(as_postgres "psql -p $port -tAc 'select pg_is_in_recovery()'" 2>/dev/null)" = f ]; do
    [ $SECONDS -lt $deadline ] || die "restore: $version/$name still recovering after 10 minutes (log: /var/log/postgresql/postgresql-$version-$name.log)"
    sleep 0.5
  done
  trap - ERR
  log "restore: $version/$name is up on port $port after $((SECONDS - t0)) s"
  mark_restored "$port" "$to"
  restored_summary "$port"
  echo "  start the services on it: STATESYS_DB_PORT=$port ./statesys up"
}

# The settings and logins of the cluster the backup came from (on Debian and under Patroni they live
# outside the backed-up data directory): recovery refuses to start with max_connections and the other
# limits below the primary's, and the site should perform as before. pg_hba.conf is copied.
RESTORE_SETTINGS="max_connections max_worker_processes max_wal_senders max_prepared_transactions max_locks_per_transaction
  max_replication_slots max_logical_replication_workers wal_level shared_buffers max_wal_size checkpoint_timeout work_mem
  maintenance_work_mem effective_cache_size synchronous_commit"
copy_configuration() {
  local version="$1" name="$2" k v hba
  if ! pg_isready -q -h 127.0.0.1 -p "$STATESYS_DB_PORT"; then
    log "restore: warning: the backed-up site does not answer; the restored cluster gets Debian's defaults (raise max_connections and the like if recovery asks)"
    return 0
  fi
  for k in $RESTORE_SETTINGS; do
    v="$(sql "show $k" 2>/dev/null || true)"
    [ -n "$v" ] && as_root pg_conftool "$version" "$name" set "$k" "$v"
  done
  hba="$(sql 'show hba_file' 2>/dev/null || true)"
  if [ -n "$hba" ] && as_root test -f "$hba"; then
    as_root install -o postgres -g postgres -m 640 "$hba" "/etc/postgresql/$version/$name/pg_hba.conf"
  fi
  return 0
}

# The restored site learns that it was restored (site_restore, V27): the resync check then asks the
# clients it first hears from after now, whose earlier messages no gap can show, to resend once.
mark_restored() {
  local db="$STATESYS_DB_NAME" point="NULL"
  [ -z "$2" ] || point="'$2'"
  if [ "$(as_postgres "psql -p $1 -d $db -tAc \"select to_regclass('site_restore') is not null\"" 2>/dev/null)" = t ]; then
    as_postgres "psql -p $1 -d $db -qc \"INSERT INTO site_restore (restore_point, backup_label) VALUES ($point, 'stanza $STANZA')\""
  fi
}

# What the restored site holds: the newest report the doors took, the newest message loaded
restored_summary() {
  local db="$STATESYS_DB_NAME"
  if [ "$(as_postgres "psql -p $1 -tAc \"select 1 from pg_database where datname = '$db'\"")" != 1 ]; then
    echo "  (no database $db in the restored cluster)"; return
  fi
  if [ "$(as_postgres "psql -p $1 -d $db -tAc \"select to_regclass('inbox') is not null and to_regclass('site_backup') is not null\"")" != t ]; then
    echo "  (database $db has no Statesys schema of this version yet)"; return
  fi
  as_postgres "psql -p $1 -d $db -P footer=off -c \"
    SELECT (SELECT max(received_at) FROM inbox) AS newest_inbox_report,
           (SELECT count(*) FROM inbox) AS inbox_reports,
           (SELECT max(received_at) FROM fsp_queue) AS newest_fsp_report,
           (SELECT max(last_seen) FROM client_message_stats) AS newest_loaded_report,
           (SELECT max(message_time) FROM topic_state) AS newest_loaded_message_time,
           (SELECT count(*) FROM client_message_stats) AS clients,
           (SELECT max(completed_at) FROM site_backup) AS newest_backup\""
}

case "${1:-}" in
  restore) shift; cmd_restore "$@" ;;
  bench) shift; exec "$ROOT/scripts/backup-bench.sh" "$@" ;;
  forget) cmd_forget ;;
  info) cmd_info ;;
  check) cmd_check ;;
  -h|--help|help) sed -n '2,39p' "$0" | sed 's/^# \{0,1\}//' ;;
  *) cmd_backup "$@" ;;
esac
