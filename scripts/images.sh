#!/usr/bin/env bash
# scripts/images.sh --registry HOST:PORT [--native] [--base-image FILE.tar] [--smoke] [--configure-podman]
# Builds the four service images with Jib and pushes them. The JVM base image is a docker-archive
# tarball: given with --base-image, or built here once (debootstrap of a minimal Debian with
# openjdk-17-jre-headless, imported with podman). --native builds the native images instead
# (tag <version>-native) from the executables ./statesys native made, on a minimal Debian without
# a JRE (plus, when GRAALVM_HOME is the stand-in toolchain, the JDK libraries its executables load,
# on LD_LIBRARY_PATH). --smoke then runs the four pushed images with podman against the local
# Postgres and sends a report through the relay.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

IMAGES_DIR="$RUN_DIR/images"
CONFIGURE_PODMAN="${CI:+1}"
BASE_TAR="$IMAGES_DIR/statesys-jre17.tar"
NATIVE_BASE_TAR="$IMAGES_DIR/statesys-native-base.tar"
NATIVE=0

ensure_podman() {
  if ! command -v podman >/dev/null || ! command -v runc >/dev/null; then
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq podman runc >/dev/null
  fi
  # Sandboxed machines like this project's CI need runc and lowered ulimits for rootful podman.
  # The system's podman configuration is rewritten only when asked (--configure-podman, or CI=true),
  # and what is written is printed.
  if [ ! -f /etc/containers/containers.conf ] || ! grep -q 'runtime *= *"runc"' /etc/containers/containers.conf; then
    if [ "${CONFIGURE_PODMAN:-}" != 1 ]; then
      log "note: podman may need runc and lower ulimits here; rerun with --configure-podman to write /etc/containers/containers.conf"
      return 0
    fi
    local conf='[containers]\ndefault_ulimits = ["nofile=1024:1024", "nproc=4096:4096"]\n[engine]\nruntime = "runc"\ncgroup_manager = "cgroupfs"\nevents_logger = "file"\n'
    [ -f /etc/containers/containers.conf ] && as_root cp /etc/containers/containers.conf /etc/containers/containers.conf.statesys-backup
    as_root mkdir -p /etc/containers
    printf "$conf" | as_root tee /etc/containers/containers.conf >/dev/null
    log "wrote /etc/containers/containers.conf (any previous one kept as containers.conf.statesys-backup):"
    sed 's/^/    /' /etc/containers/containers.conf >&2
  fi
}

# A registry on this machine (Debian's docker-registry), for trying the images out locally.
ensure_local_registry() {
  local addr="$1"
  curl -fsS "http://$addr/v2/" >/dev/null 2>&1 && return
  command -v docker-registry >/dev/null || { as_root apt-get update -qq; as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker-registry >/dev/null; }
  mkdir -p "$IMAGES_DIR/registry"
  printf 'version: 0.1\nstorage:\n  filesystem:\n    rootdirectory: %s\nhttp:\n  addr: %s\n' "$IMAGES_DIR/registry" "$addr" > "$IMAGES_DIR/registry.yml"
  nohup docker-registry serve "$IMAGES_DIR/registry.yml" >"$IMAGES_DIR/registry.log" 2>&1 &
  echo $! >"$RUN_DIR/registry.pid"
  for _ in $(seq 1 50); do curl -fsS "http://$addr/v2/" >/dev/null 2>&1 && break; sleep 0.2; done
  curl -fsS "http://$addr/v2/" >/dev/null 2>&1 || die "local registry did not start (log: $IMAGES_DIR/registry.log)"
  log "local registry on $addr (stop: kill \$(cat .statesys/registry.pid))"
}

# debootstrap_rootfs DIR INCLUDES LOG: a Debian bookworm minbase with INCLUDES in DIR (once; the
# caller says whether DIR is already complete), without apt lists, docs and man pages.
debootstrap_rootfs() {
  local rootfs="$1" include="$2" logfile="$3"
  command -v debootstrap >/dev/null || { as_root apt-get update -qq; as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null; }
  as_root rm -rf "$rootfs"
  as_root debootstrap --variant=minbase --include="$include" bookworm "$rootfs" "$(debian_mirror)" >"$logfile" 2>&1 \
    || die "debootstrap failed (log: $logfile)"
  as_root rm -rf "$rootfs/var/lib/apt/lists/"* "$rootfs/var/cache/apt/"* "$rootfs/usr/share/doc" "$rootfs/usr/share/man"
}

# import_rootfs DIR USERHOME IMAGE TAR [--change …]: user 185 added, DIR imported with podman as
# IMAGE (USER 185 and the given changes) and saved to TAR as a docker-archive, which Jib reads.
import_rootfs() {
  local rootfs="$1" home="$2" image="$3" tar="$4"
  shift 4
  as_root chroot "$rootfs" sh -c "getent passwd 185 >/dev/null || useradd -u 185 -g 0 -M -d $home -s /usr/sbin/nologin statesys" || true
  as_root tar -C "$rootfs" -c . | as_root podman import "$@" --change 'USER 185' - "$image" >/dev/null
  as_root podman save --format docker-archive -o "$tar" "$image"
  log "base image saved: $tar"
}

build_base_image() {
  [ -f "$BASE_TAR" ] && return
  ensure_podman
  local rootfs="$IMAGES_DIR/rootfs"
  mkdir -p "$IMAGES_DIR"
  if [ ! -x "$rootfs/usr/lib/jvm/java-17-openjdk-amd64/bin/java" ]; then
    log "building the JVM base image: debootstrap of Debian bookworm with openjdk-17-jre-headless"
    debootstrap_rootfs "$rootfs" openjdk-17-jre-headless,ca-certificates "$IMAGES_DIR/debootstrap.log"
  fi
  import_rootfs "$rootfs" /deployments localhost/statesys/jre17:latest "$BASE_TAR" \
    --change 'ENV PATH=/usr/lib/jvm/java-17-openjdk-amd64/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'ENV JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64'
}

# The native base: Debian bookworm minbase (glibc, zlib), user 185; when the executables were built
# with the stand-in toolchain, the JDK shared libraries they load (its lib/static-shared) go to
# /opt/statesys/lib, on LD_LIBRARY_PATH (their RUNPATH names the build machine's toolchain home).
build_native_base_image() {
  [ -f "$NATIVE_BASE_TAR" ] && return
  ensure_podman
  local rootfs="$IMAGES_DIR/rootfs-native"
  mkdir -p "$IMAGES_DIR"
  if [ ! -x "$rootfs/bin/sh" ]; then
    log "building the native base image: debootstrap of Debian bookworm (minbase)"
    debootstrap_rootfs "$rootfs" ca-certificates "$IMAGES_DIR/debootstrap-native.log"
  fi
  as_root mkdir -p "$rootfs/opt/statesys/lib"
  if [ -n "${GRAALVM_HOME:-}" ] && [ -d "$GRAALVM_HOME/lib/static-shared" ]; then
    as_root cp -L "$GRAALVM_HOME"/lib/static-shared/* "$rootfs/opt/statesys/lib/"
  fi
  import_rootfs "$rootfs" /work localhost/statesys/native-base:latest "$NATIVE_BASE_TAR" \
    --change 'ENV LD_LIBRARY_PATH=/opt/statesys/lib'
}

cmd_images() {
  local registry="" base="" smoke=0
  while [ $# -gt 0 ]; do
    case "$1" in
      --registry) registry="$2"; shift 2 ;;
      --base-image) base="$2"; shift 2 ;;
      --smoke) smoke=1; shift ;;
      --native) NATIVE=1; shift ;;
      --configure-podman) CONFIGURE_PODMAN=1; shift ;;
      *) die "unknown option $1 (--registry HOST:PORT [--base-image FILE.tar] [--smoke] [--configure-podman])" ;;
    esac
  done
  [ -n "$registry" ] || die "--registry HOST:PORT is required"
  ensure_tools
  case "$registry" in 127.0.0.1:*|localhost:*) ensure_local_registry "$registry" ;; esac
  if [ -z "$base" ]; then
    if [ "$NATIVE" = 1 ]; then build_native_base_image; base="$NATIVE_BASE_TAR"; else build_base_image; base="$BASE_TAR"; fi
  fi
  [ -f "$base" ] || die "base image $base not found"
  base="$(cd "$(dirname "$base")" && pwd)/$(basename "$base")"
  local flavour=(-Dquarkus.jib.base-jvm-image="tar://$base")
  if [ "$NATIVE" = 1 ]; then
    # the executables ./statesys native built (it builds them if missing, with GRAALVM_HOME)
    flavour=(-Dnative -Dquarkus.native.reuse-existing=true -Dquarkus.jib.base-native-image="tar://$base"
             -Dquarkus.container-image.tag="$(image_version)-native")
  fi
  log "building and pushing the four $([ "$NATIVE" = 1 ] && echo native) images to $registry (Jib, base $base)"
  (cd "$ROOT" && mvn -B -q package -DskipTests -pl mp-relay-service,fallback-status-service,state-processor-service,resync-service -am \
    -Dquarkus.container-image.build=true -Dquarkus.container-image.push=true \
    -Dquarkus.container-image.registry="$registry" -Dquarkus.container-image.insecure=true \
    "${flavour[@]}" -Dquarkus.jib.user=185) || die "image build failed"
  log "pushed: $(services | cut -d: -f1 | sed "s|^|$registry/statesys/|" | tr '\n' ' ')"
  [ "$smoke" = 1 ] && smoke_images "$registry"
  return 0
}

image_version() { sed -n 's:.*<version>\(.*\)</version>.*:\1:p' "$ROOT/pom.xml" | head -1; }

# Runs the pushed images with podman (host network) against a fresh database and sends the
# example report through the relay; the processor must load it.
smoke_images() {
  local registry="$1" db="statesys_smoke_$(date +%Y%m%d%H%M%S)" svc port base=28080 i=0 names=() version ok=0
  ensure_podman
  ensure_postgres
  version="$(image_version)$([ "$NATIVE" = 1 ] && echo -native || true)"
  local admin internal
  admin="$(random_token)"; internal="$(random_token)"
  pg_admin -c "CREATE DATABASE $db"
  while IFS=: read -r svc _; do
    i=$((i + 1)); port=$((base + i))
    as_root podman rm -f "smoke-$svc" >/dev/null 2>&1 || true
    as_root podman run -d --name "smoke-$svc" --network host --tls-verify=false --pull=always \
      --user 185 --read-only --tmpfs /tmp --security-opt no-new-privileges --cap-drop ALL \
      -e QUARKUS_HTTP_PORT="$port" -e STATESYS_DB_NAME="$db" -e STATESYS_DB_HOST="$STATESYS_DB_HOST" \
      -e STATESYS_DB_USER="$STATESYS_DB_USER" -e STATESYS_DB_PASSWORD="$STATESYS_DB_PASSWORD" \
      -e STATESYS_FSP_RELAY_URL="http://127.0.0.1:$((base + 1))" \
      -e STATESYS_ADMIN_TOKEN="$admin" -e STATESYS_INTERNAL_TOKEN="$internal" \
      "$registry/statesys/$svc:$version" >/dev/null || die "podman run $svc failed"
    names+=("smoke-$svc")
  done < <(services)
  i=0
  while IFS=: read -r svc _; do
    i=$((i + 1)); port=$((base + i))
    for _ in $(seq 1 120); do http_ok "$port" /q/health/ready && break; sleep 1; done
    http_ok "$port" /q/health/ready || { as_root podman logs "smoke-$svc" | tail -30; die "$svc image not ready"; }
    log "$svc image ready on $port"
  done < <(services)
  # as a client: register its key (enrolment token from the resync image's admin API) and send the report signed
  rm -rf "$IMAGES_DIR/keys"
  run_sim send --relay "http://127.0.0.1:$((base + 1))" --resync "http://127.0.0.1:$((base + 4))" \
    --key-dir "$IMAGES_DIR/keys" --admin-token "$admin" "$ROOT/statesys-test-support/src/main/resources/reports/contract-example.xml" \
    || { for n in "${names[@]}"; do as_root podman rm -f "$n" >/dev/null 2>&1 || true; done; die "the relay image did not accept the signed report"; }
  for _ in $(seq 1 30); do
    curl -fsS "http://127.0.0.1:$((base + 3))/api/v1/clients/GUID:2B6C1D4E-7A0F-4C55-9E1B-0F3C2A9D8E71/states" 2>/dev/null | grep -q '"stateName":"Update is required"' && { ok=1; break; }
    sleep 1
  done
  for n in "${names[@]}"; do as_root podman rm -f "$n" >/dev/null 2>&1 || true; done
  pg_admin -c "DROP DATABASE IF EXISTS $db WITH (FORCE)"
  [ "$ok" = 1 ] || die "smoke test failed: the report did not reach the processor"
  log "smoke test passed: client registered, signed report accepted by the relay image and loaded by the processor image"
}


cmd_images "$@"
