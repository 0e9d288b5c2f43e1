#!/usr/bin/env bash
# Installs the real checkers the tests run against configs/ (Debian packages), without starting
# any of their daemons: a policy-rc.d that we create (and only then remove) keeps services down.
set -euo pipefail
packages=(docker-compose caddy prometheus prometheus-alertmanager slapd ldap-utils openssl mkdocs mkdocs-material python3-yaml docker.io busybox-static file debootstrap restic rclone docker-registry apache2-utils python3-croniter systemd chromium)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "checkers already installed: ${packages[*]}"
  exit 0
fi
policy=/usr/sbin/policy-rc.d
created_policy=0
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' > "$policy"
  chmod 755 "$policy"
  created_policy=1
fi
trap '[ "$created_policy" = 1 ] && rm -f "$policy"' EXIT
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends "${missing[@]}"
