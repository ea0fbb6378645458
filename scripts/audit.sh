#!/usr/bin/env bash
# Page budgets, measured: Lighthouse (mobile settings, Debian chromium) on
# the index, an article and a search page, the index HTML and client
# sizes, and the search box's last-keystroke-to-results time on the demo
# and on 10,000 generated posts (scripts/search-latency.mjs). Prints one
# table and a few lines. The figures are not judged, but a page Lighthouse
# could not measure is a failure row and the script exits 1.
#   scripts/audit.sh [BINARY]     (default dist/quire, which must match its
#                                  build stamp; another binary is used as is)
#   LIGHTHOUSE=path               another lighthouse executable
set -euo pipefail
cd "$(dirname "$0")/.."
BIN="${1:-dist/quire}"
if [ "$(realpath -m "$BIN")" = "$(realpath -m dist/quire)" ]; then
  scripts/fresh-binary.sh "$BIN" || exit 1
else
  [ -x "$BIN" ] || { echo "audit: no executable $BIN" >&2; exit 1; }
  echo "audit: using $BIN as is (only dist/quire is checked against its build stamp)" >&2
fi
TOOLS="$PWD/.tools"
LH_VERSION=13.5.0
LIGHTHOUSE="${LIGHTHOUSE:-$TOOLS/node_modules/.bin/lighthouse}"
if [ ! -x "$LIGHTHOUSE" ]; then
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
# Each page's report goes to its own file, removed first: a failed run can
# never show the previous page's figures.
failed=0
i=0
for page in / /blog/formal-verification-tla-plus-distributed-systems "/search?q=rust"; do
  i=$((i + 1))
  report="$work/lh-$i.json"
  rm -f "$report" "$work/lh-$i.err"
  status=0
  CHROME_PATH="${CHROMIUM:-/usr/bin/chromium}" "$LIGHTHOUSE" "$base$page" \
    --quiet --output=json --output-path="$report" \
    --chrome-flags="--headless=new --no-sandbox --disable-gpu" >/dev/null 2>"$work/lh-$i.err" || status=$?
  python3 - "$page" "$report" "$status" "$work/lh-$i.err" <<'PY' || failed=1
import json, sys
page, path, status, err = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
def fail(why):
    why = " ".join(why.split())[:200].replace("|", "\\|")
    print(f"| `{page}` | FAILED: {why} |" + " |" * 7)
    sys.exit(1)
if status != 0:
    last = [line for line in open(err, errors="replace").read().splitlines() if line.strip()][-1:]
    fail(f"lighthouse exited with {status}" + (f": {last[0]}" if last else ""))
try:
    report = json.load(open(path))
except (OSError, ValueError) as e:
    fail(f"no report from lighthouse: {e}")
if report.get("runtimeError"):
    fail(f"lighthouse could not load the page: {report['runtimeError'].get('code')} {report['runtimeError'].get('message', '')}")
try:
    cats, audits = report["categories"], report["audits"]
    scores = [cats[k]["score"] for k in ("performance", "accessibility", "best-practices", "seo")]
    if None in scores:
        fail(f"a category has no score: {scores}")
    row = [str(round(s * 100)) for s in scores]
    row += [audits[k]["displayValue"].replace("\u00a0", " ") for k in ("first-contentful-paint", "largest-contentful-paint", "total-blocking-time", "cumulative-layout-shift")]
except (KeyError, TypeError) as e:
    fail(f"the report lacks {e}")
print(f"| `{page}` | " + " | ".join(row) + " |")
PY
done

curl -s "$base/" -o "$work/index.html"
raw=$(stat -c %s "$work/index.html"); br=$(brotli -c -q 11 "$work/index.html" | wc -c)
printf '\nindex HTML: %d B raw, %d B brotli (budget 40,960 B brotli)\n' "$raw" "$br"
public=$(ls -d "$work"/data/public-* 2>/dev/null | head -1)
[ -n "$public" ] && scripts/client-size.sh "$public" | tail -1 | awk '{printf "client wasm+js: %s B raw, %s B brotli (budget 150,000 B brotli)\n", $(NF-1), $NF}'

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

if [ "$failed" != 0 ]; then
  echo "audit: Lighthouse could not measure every page (FAILED rows above)" >&2
  exit 1
fi
