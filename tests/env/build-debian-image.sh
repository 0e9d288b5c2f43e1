#!/usr/bin/env bash
# Builds datamancy-test/debian:12, a Debian root filesystem with the real servers the end-to-end
# tests run (PostgreSQL, MariaDB, Redis, Caddy, restic), through debootstrap and docker import.
# The mirror comes from this machine's apt sources. Idempotent: a present image is kept.
set -euo pipefail
image=${1:-datamancy-test/debian:12}
packages=${DATAMANCY_DEBIAN_PACKAGES:-postgresql,mariadb-server,mariadb-client,redis-server,caddy,restic,ca-certificates,procps}
if docker image inspect "$image" >/dev/null 2>&1; then
  echo "$image already built"
  exit 0
fi
command -v debootstrap >/dev/null || { echo "debootstrap is missing: apt-get install debootstrap" >&2; exit 1; }
mirror=$(grep -rhoE '^(URIs:|deb) +https?://[^ ]+/debian/?( |$)' /etc/apt/sources.list /etc/apt/sources.list.d/ 2>/dev/null \
  | grep -oE 'https?://[^ ]+' | grep -v security | head -1 || true)
[ -n "$mirror" ] || { echo "no Debian mirror found in this machine's apt sources" >&2; exit 1; }
root=$(mktemp -d /var/tmp/datamancy-rootfs.XXXXXX)
cleanup() { rm -rf "$root"; }
trap cleanup EXIT
debootstrap --variant=minbase --include="$packages" bookworm "$root" "$mirror" >"$root.log" 2>&1 || {
  echo "debootstrap failed; its log:" >&2; tail -30 "$root.log" >&2; rm -f "$root.log"; exit 1; }
rm -f "$root.log"
# Nothing in the image starts by itself; the tests run each server in the foreground.
rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*
tar -C "$root" -c . | docker import -c 'ENV PATH=/usr/lib/postgresql/15/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' -c 'ENV LANG=C.UTF-8' -c 'CMD ["/bin/bash"]' - "$image" >/dev/null
echo "built $image"
