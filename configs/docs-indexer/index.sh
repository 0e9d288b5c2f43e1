#!/bin/sh
# docs-indexer (one-shot, runs before mkdocs): puts the docs site's pages into the docs_source
# volume. The services page is the module's own: Export-DatamancyReport -Format Markdown writes
# data/reports/services.md (Register-DatamancySchedule -Task Report keeps it current), with the
# same fingerprints, tests, backups and certificates as Get-DatamancyStatus, so one hash rule
# holds. This job only copies it; with no report yet, the placeholder page stays and says how.
# It needs neither the Docker socket nor a network.
set -eu

static=/docs-static
report=/reports/services.md
out=/docs-src
site=/site

find "$out" -mindepth 1 -maxdepth 1 -exec rm -rf {} +
cp -R "$static/." "$out/"
if [ -f "$report" ]; then
    cp "$report" "$out/services.md"
    echo "docs-indexer: services page from $report"
else
    echo "docs-indexer: no $report yet; run Export-DatamancyReport -Format Markdown (or Register-DatamancySchedule -Task Report)." >&2
fi

# mkdocs builds as nobody: it reads docs_source and writes docs_site, both created root-owned.
chmod -R a+rX "$out"
chmod 1777 "$site"
