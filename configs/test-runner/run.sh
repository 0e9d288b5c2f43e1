#!/bin/sh
# test-runner (one-shot): smoke test through the front door from inside the stack. The checks in
# a real browser are Test-DatamancyService -Browser, which drives browserless over the DevTools
# protocol (title or selector per service, a screenshot beside last_pass.json). Every request
# here goes to caddy:443 with the real hostname (SNI and Host), so no DNS entry is needed; -k
# because the local CA is not in this image.
# Prints one JSON line per check and exits 1 if any check failed.
set -u

sites="authelia prometheus alertmanager grafana adminer mongo-express portainer localai
librechat kopia nextcloud vaultwarden paperless stirling-pdf planka outline jellyfin
homeassistant mkdocs"
failed=0

report() {
    printf '{"check":"%s","url":"%s","status":"%s","passed":%s}\n' "$1" "$2" "$3" "$4"
    [ "$4" = true ] || failed=1
}

# Authelia answers its health endpoint without a session.
url=https://authelia.stack.local/api/health
body=$(curl -sk --max-time 10 --connect-to ::caddy:443 "$url" || true)
case "$body" in *OK*) report health "$url" 200 true ;; *) report health "$url" "?" false ;; esac

# Every other site must answer through Caddy: a page, or Authelia's redirect to the portal.
for site in $sites; do
    url="https://$site.stack.local/"
    code=$(curl -sk -o /dev/null --max-time 10 -w '%{http_code}' --connect-to ::caddy:443 "$url" || echo 000)
    case "$code" in 2??|3??|401) report reachable "$url" "$code" true ;; *) report reachable "$url" "$code" false ;; esac
done

# /metrics is never served at the edge.
url=https://prometheus.stack.local/metrics
code=$(curl -sk -o /dev/null --max-time 10 -w '%{http_code}' --connect-to ::caddy:443 "$url" || echo 000)
case "$code" in 200) report no-metrics "$url" "$code" false ;; *) report no-metrics "$url" "$code" true ;; esac

exit "$failed"
