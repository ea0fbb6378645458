#!/usr/bin/env bash
# Page budgets, measured: Lighthouse (mobile settings, Debian chromium) on
# the index, an article and a search page, the index HTML and client
# sizes, and the search box's last-keystroke-to-results time on the demo
# and on 10,000 generated posts (scripts/search-latency.mjs). Prints one
# table and a few lines; nothing here is a pass/fail test.
#   scripts/audit.sh [BINARY]     (default dist/quire; `make audit`)
set -euo pipefail
cd "$(dirname "$0")/.."
BIN="${1:-dist/quire}"
[ -x "$BIN" ] || { echo "build first: make build" >&2; exit 1; }
TOOLS="$PWD/.tools"
LH_VERSION=13.5.0
if [ ! -x "$TOOLS/node_modules/.bin/lighthouse" ]; then
  echo "audit: installing lighthouse@$LH_VERSION into .tools/" >&2
  npm install --prefix "$TOOLS" --no-audit --no-fund --loglevel=error "lighthouse@$LH_VERSION" >&2
fi

work="$(mktemp -d)"
port=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
: >"$work/log"
"$BIN" serve --data "$work/data" --addr "127.0.0.1:$port" >"$work/log" 2>&1 &
pid=$!
big_pid=""
trap 'kill $pid $big_pid 2>/dev/null; wait $pid $big_pid 2>/dev/null; rm -rf "$work"' EXIT
until grep -q "Quire is serving" "$work/log"; do
  kill -0 "$pid" 2>/dev/null || { cat "$work/log" >&2; exit 1; }
  sleep 0.1
done
base="http://127.0.0.1:$port"

printf '| page | Performance | Accessibility | Best Practices | SEO | FCP | LCP | TBT | CLS |\n|---|---|---|---|---|---|---|---|---|\n'
for page in / /blog/formal-verification-tla-plus-distributed-systems "/search?q=rust"; do
  CHROME_PATH="${CHROMIUM:-/usr/bin/chromium}" "$TOOLS/node_modules/.bin/lighthouse" "$base$page" \
    --quiet --output=json --output-path="$work/lh.json" \
    --chrome-flags="--headless=new --no-sandbox --disable-gpu" >/dev/null 2>&1 || true
  python3 - "$page" "$work/lh.json" <<'PY'
import json, sys
page, path = sys.argv[1], sys.argv[2]
try:
    cats = json.load(open(path))["categories"]
    audits = json.load(open(path))["audits"]
    row = [str(round((cats[k]["score"] or 0) * 100)) for k in ("performance", "accessibility", "best-practices", "seo")]
    row += [audits[k]["displayValue"].replace("\u00a0", " ") for k in ("first-contentful-paint", "largest-contentful-paint", "total-blocking-time", "cumulative-layout-shift")]
except Exception as err:  # lighthouse failed: say so in the table
    row = [f"error: {err}"] + [""] * 7
print(f"| `{page}` | " + " | ".join(row) + " |")
PY
done

curl -s "$base/" -o "$work/index.html"
raw=$(stat -c %s "$work/index.html"); br=$(brotli -c -q 11 "$work/index.html" | wc -c)
printf '\nindex HTML: %d B raw, %d B brotli (budget 40,960 B brotli)\n' "$raw" "$br"
public=$(ls -d "$work"/data/public-* 2>/dev/null | head -1)
[ -n "$public" ] && scripts/client-size.sh "$public" | tail -1 | awk '{printf "client wasm+js: %s B raw, %s B brotli (budget 153,600 B brotli)\n", $(NF-1), $NF}'

# The search box, typed into as a reader does, on the demo and on 10,000
# generated posts (once its search index is built).
python3 bench/gen-posts.py 10000 "$work/big" "$work/big-hugo" >/dev/null
big_port=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
: >"$work/big-log"
"$BIN" serve --content "$work/big" --data "$work/big-data" --addr "127.0.0.1:$big_port" >"$work/big-log" 2>&1 &
big_pid=$!
until grep -q "search index ready" "$work/big-log"; do
  kill -0 "$big_pid" 2>/dev/null || { cat "$work/big-log" >&2; exit 1; }
  sleep 0.2
done
printf '\ndemo (102 posts), '
node scripts/search-latency.mjs "$base" kubernets postgres "rust wasm" tla "formal verif" sqlite quic \
  observability fuzzing "zero copy" compiler llm react tls kafka redis grpc ebpf "memory safety" latency
printf '10,000 posts, '
node scripts/search-latency.mjs "http://127.0.0.1:$big_port" kubernets latency "replica partition" schedul \
  quorum "snapshot compaction" tracing certificat kafka allocater "canary rollout" shard "kernel socket" \
  handshake tokn pipeline "worker thread" metric budget lease
