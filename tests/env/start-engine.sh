#!/usr/bin/env bash
# Starts Debian's dockerd for the tests unless an engine already answers on the socket, and
# prints the pid it started (empty when it started none) so the caller stops exactly that pid.
set -euo pipefail
socket=/var/run/docker.sock
state=${DATAMANCY_TEST_STATE:-/tmp/datamancy-test}
mkdir -p "$state"
if [ -S "$socket" ] && docker -H "unix://$socket" version >/dev/null 2>&1; then
  exit 0
fi
if ! command -v dockerd >/dev/null; then
  echo "dockerd is missing: apt-get install docker.io (tests/env/install-checkers.sh)" >&2
  exit 1
fi
dockerd --host "unix://$socket" --pidfile "$state/dockerd.pid" >"$state/dockerd.log" 2>&1 &
pid=$!
for _ in $(seq 1 60); do
  if docker -H "unix://$socket" version >/dev/null 2>&1; then
    echo "$pid"
    exit 0
  fi
  if ! kill -0 "$pid" 2>/dev/null; then
    echo "dockerd exited; its log:" >&2
    tail -20 "$state/dockerd.log" >&2
    exit 1
  fi
  sleep 0.5
done
echo "dockerd did not answer within 30 s; its log:" >&2
tail -20 "$state/dockerd.log" >&2
kill "$pid" || true
exit 1
