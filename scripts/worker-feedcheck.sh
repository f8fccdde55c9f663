#!/usr/bin/env bash
# The Worker, served by a local `wrangler dev` (workerd, offline, fresh local R2 state), must publish
# feeds that pass feedcheck: start it on 127.0.0.1:PORT, wait, trigger the cron through
# /__scheduled, wait for /healthz to report the build, run feedcheck, then stop wrangler by its PID.
#
#   bash scripts/worker-feedcheck.sh [PORT]        (default 18788; the Node check in .ci/run uses 18787)
set -euo pipefail
cd "$(dirname "$0")/.."
export CI=true WRANGLER_SEND_METRICS=false CLOUDFLARE_CF_FETCH_ENABLED=false WRANGLER_HIDE_BANNER=true

port="${1:-18788}"
base="http://127.0.0.1:$port"
feedcheck="${FEEDCHECK:-$(pwd)/../shared/feedcheck/feedcheck}"
work=$(mktemp -d)
pid=""

cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    # wrangler runs in its own session (setsid below): signal its process group, i.e. wrangler and
    # the workerd it started, and nothing else.
    kill -TERM -- "-$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL -- "-$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

setsid npx wrangler dev --local --test-scheduled --ip 127.0.0.1 --port "$port" \
  --persist-to "$work/state" --var "SITE_URL:$base" --show-interactive-dev-session=false \
  >"$work/wrangler.log" 2>&1 &
pid=$!

status() { curl -s -o /dev/null -w '%{http_code}' "$base/healthz" 2>/dev/null || true; }

# Up when /healthz answers at all (503: running, nothing published yet).
for _ in $(seq 1 150); do
  code=$(status)
  if [ "$code" = 503 ] || [ "$code" = 200 ]; then break; fi
  if ! kill -0 "$pid" 2>/dev/null; then cat "$work/wrangler.log"; echo "wrangler dev exited" >&2; exit 1; fi
  sleep 0.2
done
[ "$(status)" = 503 ] || [ "$(status)" = 200 ] || { cat "$work/wrangler.log"; echo "wrangler dev did not start" >&2; exit 1; }

curl -fsS "$base/__scheduled?cron=*/15+*+*+*+*" >/dev/null
for _ in $(seq 1 150); do
  [ "$(status)" = 200 ] && break
  sleep 0.2
done
[ "$(status)" = 200 ] || { cat "$work/wrangler.log"; echo "the scheduled run did not publish" >&2; exit 1; }
curl -fsS "$base/healthz"
echo

"$feedcheck" --base "$base" --rss /feed.xml --atom /atom.xml --json /feed.json
