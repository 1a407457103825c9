#!/usr/bin/env bash
# scripts/minimal-debian-up.sh: proves that `./statesys up` works for a newcomer on a minimal
# Debian. A debootstrap (minbase) bookworm root file system with nothing but a JRE gets a copy of
# this repository; inside it `./statesys up` must install what it needs (JDK, Maven, PostgreSQL,
# curl), build, start the four services and return once they are ready, and README's first
# example (`./statesys send`: register the client's key, send the report signed) must then be
# accepted (202) and loaded; then `./statesys backup && ./statesys restore --latest --into drill` must
# bring that state back in a new cluster. Needs root (chroot, mounts); CI runs it.
#
# The chroot shares this machine's network, so its PostgreSQL takes port 5432: a cluster of this
# machine that is running on that port is stopped for the run and started again afterwards.
# The host's Maven repository is bind-mounted in, so the build does not download it all again.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

WORK="$RUN_DIR/minimal-debian"
ROOTFS="$WORK/rootfs"
M2="${HOME}/.m2/repository"
stopped_host_cluster=""

cleanup() {
  set +e
  if [ -d "$ROOTFS/src" ]; then
    chroot "$ROOTFS" bash -c 'cd /src && ./statesys down' >/dev/null 2>&1
    chroot "$ROOTFS" bash -c 'pg_lsclusters -h 2>/dev/null | while read -r v c _; do pg_ctlcluster --skip-systemctl-redirect "$v" "$c" stop -m fast; done' >/dev/null 2>&1
  fi
  for m in "$ROOTFS/root/.m2/repository" "$ROOTFS/dev/pts" "$ROOTFS/dev" "$ROOTFS/proc" "$ROOTFS/sys"; do
    mountpoint -q "$m" && umount -l "$m"
  done
  if [ -n "$stopped_host_cluster" ]; then
    log "starting this machine's PostgreSQL $stopped_host_cluster again"
    pg_ctlcluster --skip-systemctl-redirect "$stopped_host_cluster" main start
  fi
}
trap cleanup EXIT

[ "$(id -u)" -eq 0 ] || die "run as root (chroot and mounts)"
command -v debootstrap >/dev/null || { apt-get update -qq; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null; }

if [ ! -x "$ROOTFS/usr/bin/java" ]; then
  log "debootstrap: minimal Debian bookworm with only a JRE (openjdk-17-jre-headless)"
  rm -rf "$ROOTFS"; mkdir -p "$WORK"
  debootstrap --variant=minbase --include=openjdk-17-jre-headless bookworm "$ROOTFS" "$(debian_mirror)" >"$WORK/debootstrap.log" 2>&1 \
    || die "debootstrap failed (log: $WORK/debootstrap.log)"
fi
for tool in javac mvn curl psql pg_lsclusters; do
  chroot "$ROOTFS" sh -c "command -v $tool" >/dev/null 2>&1 && log "note: $tool is already in the root file system (a reused one)"
done

log "copying the repository into the root file system"
rm -rf "$ROOTFS/src"; mkdir -p "$ROOTFS/src"
tar -C "$ROOT" --exclude=./.statesys --exclude='*/target' --exclude=./.git -c . | tar -C "$ROOTFS/src" -x
cp /etc/resolv.conf "$ROOTFS/etc/resolv.conf"
# the same package sources and apt settings as this machine (mirrors, snapshot validity)
cp -a /etc/apt/sources.list.d/. "$ROOTFS/etc/apt/sources.list.d/" 2>/dev/null || true
[ -n "$(ls "$ROOTFS/etc/apt/sources.list.d/" 2>/dev/null)" ] && rm -f "$ROOTFS/etc/apt/sources.list"
cp -a /etc/apt/apt.conf.d/99* "$ROOTFS/etc/apt/apt.conf.d/" 2>/dev/null || true
mount -t proc proc "$ROOTFS/proc"
mount --bind /dev "$ROOTFS/dev"
mount --bind /dev/pts "$ROOTFS/dev/pts"
mkdir -p "$ROOTFS/root/.m2/repository" "$M2"
mount --bind "$M2" "$ROOTFS/root/.m2/repository"

for v in $(ls /etc/postgresql 2>/dev/null); do
  if pg_lsclusters -h | awk -v v="$v" '$1==v && $2=="main" && $3=="5432" {print $4}' | grep -q online; then
    log "stopping this machine's PostgreSQL $v for the run (the chroot's takes port 5432)"
    pg_ctlcluster --skip-systemctl-redirect "$v" main stop -m fast
    stopped_host_cluster="$v"
  fi
done

log "inside: ./statesys up, then README's first example"
# a new database each run, so a reused root file system starts clean (the client's key is new each run)
chroot "$ROOTFS" /usr/bin/env -i HOME=/root PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 \
  STATESYS_DB_NAME="statesys_$(date +%Y%m%d%H%M%S)" \
  bash -euo pipefail -c '
    cd /src
    ./statesys up
    ./statesys send statesys-test-support/src/main/resources/reports/contract-example.xml
    loaded=0
    for _ in $(seq 1 30); do
      curl -fsS http://127.0.0.1:8083/api/v1/clients/GUID:2B6C1D4E-7A0F-4C55-9E1B-0F3C2A9D8E71/states 2>/dev/null \
        | grep -q "\"stateName\":\"Update is required\"" && { echo "processor loaded it"; loaded=1; break; }
      sleep 1
    done
    [ "$loaded" = 1 ] || { echo "the report did not reach the processor" >&2; exit 1; }
    # the recovery section'"'"'s first step: a backup, and a restore of it into a new cluster beside the site
    ./statesys backup
    ./statesys restore --latest --into drill
    port="$(pg_lsclusters -h | awk '"'"'$2=="drill" {print $3}'"'"')"
    n="$(su postgres -c "psql -p $port -d $STATESYS_DB_NAME -tAc \"select count(*) from topic_state where client_id = '"'"'2b6c1d4e-7a0f-4c55-9e1b-0f3c2a9d8e71'"'"'\"")"
    [ "$n" -ge 1 ] || { echo "the restored site does not hold the loaded state" >&2; exit 1; }
    echo "restored site holds the client'"'"'s $n latest state(s)"
    ./statesys restore --drop drill
  ' 2>&1 | tee "$WORK/run.log"
log "minimal Debian: ./statesys up, README's first example, a backup and its restore passed"
