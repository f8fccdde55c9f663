#!/usr/bin/env bash
# Every feed variant kiosque publishes must pass feedcheck. Builds the seed content/ with small
# sizes so that every kind of feed exists (feedSize 3, archive pages of 1 item, ?limit=1 and 2,
# one WebSub hub), starts `kiosque serve` on 127.0.0.1:PORT, reads the published manifest to
# enumerate every feed URL (main, per tag, per publisher, each archive page, each ?limit
# variant), runs feedcheck on each with --url, prints one line per feed, then stops the server
# by its PID. Exit status: non-zero when any feed has a failure or a warning (feedcheck knows
# RFC 5005's prev-archive/next-archive link relations, so archive pages need no exception).
#
#   bash scripts/feedcheck-all.sh [PORT]        (default 18789)
set -euo pipefail
cd "$(dirname "$0")/.."
port="${1:-18789}"
base="http://127.0.0.1:$port"
feedcheck="${FEEDCHECK:-$(pwd)/../shared/feedcheck/feedcheck}"
work=$(mktemp -d)
pid=""

cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

cp -r content "$work/content"
cat >"$work/kiosque.config.json" <<JSON
{
  "site": { "baseUrl": "$base" },
  "host": "127.0.0.1",
  "port": $port,
  "contentDir": "content",
  "outDir": "feeds",
  "feedSize": 3,
  "archivePageSize": 1,
  "feedLimits": [1, 2],
  "hubs": ["$base/websub-hub"],
  "rateLimit": { "requests": 0, "windowSeconds": 60 }
}
JSON

node bin/kiosque.mjs serve --config "$work/kiosque.config.json" >"$work/server.log" 2>&1 &
pid=$!
status() { curl -s -o /dev/null -w '%{http_code}' "$base/healthz" 2>/dev/null || true; }
for _ in $(seq 1 150); do
  [ "$(status)" = 200 ] && break
  if ! kill -0 "$pid" 2>/dev/null; then cat "$work/server.log"; echo "kiosque serve exited" >&2; exit 1; fi
  sleep 0.2
done
[ "$(status)" = 200 ] || { cat "$work/server.log"; echo "no build was published" >&2; exit 1; }

# The manifest root names content-addressed shards (version 2); each shard lists its routes.
mapfile -t paths < <(node -e '
  const fs = require("fs"), path = require("path");
  const dir = process.argv[1];
  const root = JSON.parse(fs.readFileSync(path.join(dir, "manifest.json"), "utf8"));
  const shards = root.version === 2
    ? Object.values(root.shards).map((s) => JSON.parse(fs.readFileSync(path.join(dir, s.key), "utf8")).documents)
    : [root.documents];
  const feed = /^application\/(rss\+xml|atom\+xml|feed\+json)\b/;
  for (const documents of shards)
    for (const [route, e] of Object.entries(documents)) if (feed.test(e.contentType)) console.log(route);
' "$work/feeds")
[ "${#paths[@]}" -gt 0 ] || { echo "the manifest lists no feed" >&2; exit 1; }

failures=0
for path in "${paths[@]}"; do
  report="$work/report.json"
  out=$("$feedcheck" --url "$base$path" --no-color --quiet --allow-warnings --json-report "$report" 2>&1) && code=0 || code=$?
  # --allow-warnings keeps feedcheck going; any warning still fails here, with its reason.
  verdict=$(node -e '
    const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    const bad = [];
    for (const feed of r.feeds ?? []) {
      for (const check of feed.results ?? []) {
        if (check.status !== "warn" && check.status !== "fail") continue;
        const reasons = check.reasons?.length ? check.reasons : ["(no reason given)"];
        for (const reason of reasons) bad.push(check.status + " " + check.id + ": " + reason);
      }
    }
    console.log(bad.length ? "FAIL " + bad.join(" | ") : "PASS");
  ' "$report")
  if [ "$code" != 0 ] || [ "$verdict" != PASS ]; then
    failures=$((failures + 1))
    echo "FAIL $path  $verdict"
    echo "$out" | sed 's/^/    /'
  else
    echo "PASS $path"
  fi
done
echo "feedcheck-all: ${#paths[@]} feeds, $failures failing"
[ "$failures" = 0 ]
