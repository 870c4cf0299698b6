#!/usr/bin/env bash
# Start one process of the Präventionsmonitor server: `deploy/start.sh webserver` or `deploy/start.sh daemon`.
#
# Both processes share one Dagster instance in $DAGSTER_HOME (a volume): run history, materializations,
# check results and sensor state. The instance configuration deploy/dagster.yaml is installed there on
# every start, so an update of the code also updates it. Before the daemon starts, the runs that were in
# progress when the server stopped are marked failed (pipelines/recover.py), so the queue goes on. Sensors are
# never switched on here: they start on in a new deployment (PRAEVENTION_SENSORS=on) and keep whatever an
# operator chose in the UI. DAGSTER_WORKSPACE names another workspace file (default workspace.yaml).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
: "${DAGSTER_HOME:?set DAGSTER_HOME to the instance directory (on a volume that is backed up)}"
mkdir -p "$DAGSTER_HOME"
if ! cmp -s "$root/deploy/dagster.yaml" "$DAGSTER_HOME/dagster.yaml"; then
  cp "$root/deploy/dagster.yaml" "$DAGSTER_HOME/dagster.yaml.new"
  mv "$DAGSTER_HOME/dagster.yaml.new" "$DAGSTER_HOME/dagster.yaml"
fi
cd "$root"
workspace="${DAGSTER_WORKSPACE:-workspace.yaml}"
case "${1:-}" in
  webserver)
    args=(-h "${WEBSERVER_HOST:-127.0.0.1}" -p "${WEBSERVER_PORT:-3000}" -w "$workspace")
    if [ -n "${WEBSERVER_PATH_PREFIX:-}" ]; then
      args+=(-l "$WEBSERVER_PATH_PREFIX")
    fi
    exec dagster-webserver "${args[@]}"
    ;;
  daemon)
    python -m pipelines.recover
    exec dagster-daemon run -w "$workspace"
    ;;
  *)
    echo "usage: $0 webserver|daemon" >&2
    exit 2
    ;;
esac
