#!/usr/bin/env bash
# A PostgreSQL cluster that takes TLS connections only, with a certificate authority of its own, to
# run the services as production does: statesys.db.ssl-mode=verify-full against the CA's
# certificate (docs/operating.md, "Database connections").
#   scripts/db-tls.sh up       create/start the cluster `statesys_tls` (port DB_TLS_PORT, 5445), its CA and
#                              server certificate (for 127.0.0.1 and localhost), a database `statesys`
#   scripts/db-tls.sh env      the STATESYS_DB_* settings that reach it, verified: eval "$(scripts/db-tls.sh env)"
#   scripts/db-tls.sh destroy  stop and drop the cluster and its certificates
# pg_hba.conf rejects every TCP connection without TLS (hostnossl … reject).
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"

PG_VERSION="${DB_TLS_PG_VERSION:-15}"
NAME=statesys_tls
PORT="${DB_TLS_PORT:-5445}"
TLS_DIR="$RUN_DIR/db-tls"

make_certificates() {
  command -v openssl >/dev/null || { as_root apt-get update -qq; as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openssl >/dev/null; }
  mkdir -p "$TLS_DIR"
  [ -s "$TLS_DIR/ca.crt" ] && [ -s "$TLS_DIR/server.crt" ] && return
  log "making a certificate authority and a server certificate in $TLS_DIR"
  (umask 077
   openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=Statesys test database CA" \
     -keyout "$TLS_DIR/ca.key" -out "$TLS_DIR/ca.crt" 2>/dev/null
   openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" -keyout "$TLS_DIR/server.key" -out "$TLS_DIR/server.csr" 2>/dev/null
   printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n' > "$TLS_DIR/server.ext"
   openssl x509 -req -in "$TLS_DIR/server.csr" -CA "$TLS_DIR/ca.crt" -CAkey "$TLS_DIR/ca.key" -CAcreateserial -days 3650 \
     -extfile "$TLS_DIR/server.ext" -out "$TLS_DIR/server.crt" 2>/dev/null)
  chmod 644 "$TLS_DIR/ca.crt"
}

cmd_up() {
  ensure_postgres
  make_certificates
  if ! pg_lsclusters -h | awk -v n="$NAME" '$2==n' | grep -q .; then
    log "creating PostgreSQL cluster $NAME on port $PORT (TLS only)"
    as_root pg_createcluster "$PG_VERSION" "$NAME" -p "$PORT" >/dev/null
  fi
  local conf="/etc/postgresql/$PG_VERSION/$NAME" data="/var/lib/postgresql/$PG_VERSION/$NAME"
  as_root install -o postgres -g postgres -m 600 "$TLS_DIR/server.key" "$data/statesys-server.key"
  as_root install -o postgres -g postgres -m 644 "$TLS_DIR/server.crt" "$data/statesys-server.crt"
  as_root pg_conftool "$PG_VERSION" "$NAME" set ssl on
  as_root pg_conftool "$PG_VERSION" "$NAME" set ssl_cert_file "$data/statesys-server.crt"
  as_root pg_conftool "$PG_VERSION" "$NAME" set ssl_key_file "$data/statesys-server.key"
  as_root pg_conftool "$PG_VERSION" "$NAME" set max_connections 100
  # local socket for the superuser's setup; over TCP, TLS or nothing
  as_root tee "$conf/pg_hba.conf" >/dev/null <<'EOF'
local   all   postgres                peer
hostssl all   all        127.0.0.1/32 scram-sha-256
hostssl all   all        ::1/128      scram-sha-256
hostnossl all all        0.0.0.0/0    reject
hostnossl all all        ::/0         reject
EOF
  if pg_lsclusters -h | awk -v n="$NAME" '$2==n {print $4}' | grep -q online; then
    as_root pg_ctlcluster --skip-systemctl-redirect "$PG_VERSION" "$NAME" restart
  else
    as_root pg_ctlcluster --skip-systemctl-redirect "$PG_VERSION" "$NAME" start
  fi
  for _ in $(seq 1 60); do pg_isready -q -h 127.0.0.1 -p "$PORT" && break; sleep 0.5; done
  as_postgres "psql -q -p $PORT -c \"ALTER ROLE postgres WITH PASSWORD 'postgres'\""
  if [ "$(as_postgres "psql -p $PORT -tAc \"select 1 from pg_database where datname = 'statesys'\"")" != 1 ]; then
    as_postgres "psql -q -p $PORT -c 'CREATE DATABASE statesys'"
  fi
  log "$NAME: TLS only on 127.0.0.1:$PORT; CA certificate $TLS_DIR/ca.crt"
}

cmd_env() {
  cat <<EOF
export STATESYS_DB_HOST=127.0.0.1 STATESYS_DB_PORT=$PORT STATESYS_DB_USER=postgres STATESYS_DB_PASSWORD=postgres
export STATESYS_DB_SSL_MODE=verify-full STATESYS_DB_SSL_ROOT_CERT=$TLS_DIR/ca.crt
EOF
}

cmd_destroy() {
  as_root pg_dropcluster --stop "$PG_VERSION" "$NAME" 2>/dev/null || true
  rm -rf "$TLS_DIR"
}

case "${1:-}" in
  up) cmd_up ;;
  env) cmd_env ;;
  destroy) cmd_destroy ;;
  *) sed -n '2,9p' "$0"; exit 2 ;;
esac
