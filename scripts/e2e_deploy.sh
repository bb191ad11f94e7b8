#!/usr/bin/env bash
# End-to-end check of the deployments in prefect.yaml, on loopback only:
# a real `prefect server`, a process work pool, `prefect deploy --all`, a worker, one triggered
# run of compare-coverage-daily; passes when the run COMPLETED and processed/ was written.
# Runs in a copy of the repo (git-tracked files) so the repo's own processed/ is untouched.
# Usage: scripts/e2e_deploy.sh   (make e2e)   — takes 1–3 minutes on 2 cores.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
bin="$repo/.venv/bin"
work=$(mktemp -d)
port=${PRESSLENS_E2E_PORT:-4299}
export PREFECT_HOME="$work/prefect-home" PREFECT_API_URL="http://127.0.0.1:$port/api"
export PREFECT_SERVER_ANALYTICS_ENABLED=false DO_NOT_TRACK=1 PREFECT_LOGGING_LEVEL=WARNING
pids=()
cleanup() {
  for p in "${pids[@]}"; do pkill -TERM -P "$p" 2>/dev/null || true; kill -TERM "$p" 2>/dev/null || true; done
  sleep 3
  for p in "${pids[@]}"; do pkill -KILL -P "$p" 2>/dev/null || true; kill -KILL "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

mkdir "$work/project"
(cd "$repo" && git ls-files -z | xargs -0 -I{} cp --parents {} "$work/project/")
cd "$work/project"

"$bin/prefect" server start --host 127.0.0.1 --port "$port" > "$work/server.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 120); do
  if "$bin/python" -c "import urllib.request,sys; urllib.request.urlopen('$PREFECT_API_URL/health', timeout=2)" 2>/dev/null; then break; fi
  sleep 1
done
"$bin/python" -c "import urllib.request; urllib.request.urlopen('$PREFECT_API_URL/health', timeout=2)" \
  || { echo "e2e: prefect server did not start"; tail -20 "$work/server.log"; exit 1; }
echo "e2e: server up on 127.0.0.1:$port"

"$bin/prefect" --no-prompt work-pool create presslens --type process > /dev/null
"$bin/prefect" --no-prompt deploy --all > "$work/deploy.log" 2>&1 || { cat "$work/deploy.log"; exit 1; }
for d in compare-coverage/compare-coverage-daily collect-articles/collect-articles-hourly; do
  "$bin/prefect" deployment inspect "$d" > "$work/inspect.txt" 2>&1 || { echo "e2e: $d missing"; cat "$work/deploy.log"; exit 1; }
  grep -q "cron" "$work/inspect.txt" || { echo "e2e: $d has no cron schedule"; cat "$work/inspect.txt"; exit 1; }
done
echo "e2e: deployed compare-coverage-daily and collect-articles-hourly (with their cron schedules)"

"$bin/prefect" worker start --pool presslens --limit 1 > "$work/worker.log" 2>&1 &
pids+=($!)
test ! -e processed/articles.csv
"$bin/prefect" deployment run compare-coverage/compare-coverage-daily --watch --watch-timeout 600 \
  > "$work/run.log" 2>&1 || { cat "$work/run.log"; tail -40 "$work/worker.log"; exit 1; }
grep -q "Completed" "$work/run.log" || { cat "$work/run.log"; exit 1; }
test -s processed/articles.csv && test -s processed/report.html
echo "e2e: flow run completed; processed/ has $(($(wc -l < processed/articles.csv) - 1)) article row(s) and report.html"
