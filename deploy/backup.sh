#!/usr/bin/env bash
# Back up the Präventionsmonitor into one archive per day: the Dagster instance (not rebuildable), the register
# (kept by hand), the raw files and the warehouse. The published products are left out: a run rebuilds them.
#
#   deploy/backup.sh [systemd|compose]      run daily by deploy/systemd/praeventionsmonitor-backup.timer
#
# SQLite and DuckDB files are copied consistently only while nothing writes them, so the services stop for the
# copy (seconds) and start again, also when the copy fails. A run in progress then ends; the daemon's start
# marks it failed and it is queued once more (deploy/dagster.yaml: run_retries).
# BACKUP_DIR (default /var/backups/praeventionsmonitor) and BACKUP_KEEP_DAYS (default 30) change where and how long.
set -euo pipefail
mode="${1:-systemd}"
dest="${BACKUP_DIR:-/var/backups/praeventionsmonitor}"
keep="${BACKUP_KEEP_DAYS:-30}"
state=/var/lib/praeventionsmonitor
register=/srv/praeventionsmonitor/register
root="$(cd "$(dirname "$0")/.." && pwd)"
archive="$dest/praeventionsmonitor-$(date +%F).tar.gz"
mkdir -p "$dest"

case "$mode" in
  systemd)
    systemctl stop praeventionsmonitor-daemon.service praeventionsmonitor-webserver.service
    trap 'systemctl start praeventionsmonitor.target' EXIT
    tar -C / -czf "$archive.part" "${state#/}/dagster" "${state#/}/raw" "${state#/}/warehouse" "${register#/}"
    ;;
  compose)
    compose=(docker compose -f "$root/deploy/compose.yaml")
    "${compose[@]}" stop
    trap '"${compose[@]}" start' EXIT
    docker run --rm \
      -v praeventionsmonitor_dagster:/b/dagster:ro -v praeventionsmonitor_raw:/b/raw:ro \
      -v praeventionsmonitor_warehouse:/b/warehouse:ro -v "$register:/b/register:ro" -v "$dest:/out" \
      debian:bookworm-slim tar -C /b -czf "/out/$(basename "$archive").part" dagster raw warehouse register
    ;;
  *)
    echo "usage: $0 [systemd|compose]" >&2
    exit 2
    ;;
esac
mv "$archive.part" "$archive"
find "$dest" -name 'praeventionsmonitor-*.tar.gz' -mtime +"$keep" -delete
echo "backup: $archive ($(du -h "$archive" | cut -f1))"
