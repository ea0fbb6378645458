#!/usr/bin/env bash
# Ingest benchmark: N generated posts, Quire cold ingest and unchanged
# restart against `hugo` building the same posts, BENCH_ROUNDS rounds each
# (default 3), medians in the table and every round under it.
#   bench/ingest.sh [N]      (default 10000; needs dist/quire and hugo)
#   QUIRE_BIN=path           another binary, used as is (dist/quire must
#                            match its build stamp: scripts/fresh-binary.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
N="${1:-10000}"
ROUNDS="${BENCH_ROUNDS:-3}"
if [ -z "${QUIRE_BIN:-}" ]; then
  scripts/fresh-binary.sh dist/quire || exit 1
fi
BIN="${QUIRE_BIN:-dist/quire}"
[ -x "$BIN" ] || { echo "bench: no executable $BIN" >&2; exit 1; }
command -v hugo >/dev/null || { echo "install hugo (apt-get install hugo)" >&2; exit 1; }
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
python3 bench/gen-posts.py "$N" "$work/content" "$work/hugo"

# Runs quire until its search index is built; prints "serving_ms ready_ms
# rss_kb": wall time from process start (as hugo's figure is) to the first
# page served and to search answering, and resident memory at that point.
quire_ingest() {
  local log="$work/quire.log" port
  port=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
  mkdir -p "$work/public"
  : >"$log"
  local start; start=$(date +%s%N)
  DIOXUS_PUBLIC_PATH="$work/public" "$BIN" serve --content "$work/content" --data "$work/data" --addr "127.0.0.1:$port" >"$log" 2>&1 &
  local pid=$!
  local serving_ms="" ready_ms=""
  until [ -n "$ready_ms" ]; do
    kill -0 "$pid" 2>/dev/null || { cat "$log" >&2; exit 1; }
    if [ -z "$serving_ms" ] && grep -q "Quire is serving" "$log"; then
      serving_ms=$(( ($(date +%s%N) - start) / 1000000 ))
    fi
    if grep -q "search index ready" "$log"; then
      ready_ms=$(( ($(date +%s%N) - start) / 1000000 ))
      [ -n "$serving_ms" ] || serving_ms=$ready_ms
    fi
    sleep 0.01
  done
  local rss
  rss=$(awk '/VmRSS/{print $2}' /proc/$pid/status)
  kill "$pid"; wait "$pid" 2>/dev/null || true
  echo "$serving_ms $ready_ms $rss"
}

# Rounds interleaved: hugo (a full build into an empty destination), quire
# cold (an empty data dir), quire restarted on that data (nothing changed).
hugo_all=""; cold_all=""; ready_all=""; warm_all=""; rss_all=""
for round in $(seq 1 "$ROUNDS"); do
  rm -rf "$work/hugo-out" "$work/data"
  hugo_start=$(date +%s%N)
  hugo --quiet --source "$work/hugo" --destination "$work/hugo-out" >/dev/null
  hugo_all="$hugo_all $(( ($(date +%s%N) - hugo_start) / 1000000 ))"
  read -r cold_ms cold_ready_ms cold_rss < <(quire_ingest)
  read -r warm_ms warm_ready_ms warm_rss < <(quire_ingest)
  cold_all="$cold_all $cold_ms"; ready_all="$ready_all $cold_ready_ms"; warm_all="$warm_all $warm_ms"; rss_all="$rss_all $cold_rss"
  echo "bench: ingest round $round: hugo ${hugo_all##* } ms, quire cold $cold_ms ms (search $cold_ready_ms ms), restart $warm_ms ms" >&2
done
median() { python3 -c "import sys, statistics; print(round(statistics.median(int(x) for x in sys.argv[1:])))" $1; }
hugo_ms=$(median "$hugo_all"); cold_ms=$(median "$cold_all"); cold_ready_ms=$(median "$ready_all")
warm_ms=$(median "$warm_all"); cold_rss=$(median "$rss_all")

vs_hugo() { python3 -c "print(f'{$1/$hugo_ms:.2f}')"; }
printf '\n| %s posts, median of %s rounds | time | vs hugo |\n|---|---|---|\n' "$N" "$ROUNDS"
printf '| hugo build | %d ms | 1.00 |\n' "$hugo_ms"
printf '| quire cold ingest | %d ms | %s |\n' "$cold_ms" "$(vs_hugo "$cold_ms")"
printf '| quire cold ingest, search index built too | %d ms | %s |\n' "$cold_ready_ms" "$(vs_hugo "$cold_ready_ms")"
printf '| quire restart, nothing changed | %d ms | %s |\n' "$warm_ms" "$(vs_hugo "$warm_ms")"
printf '| quire resident memory after ingest | %d MB | |\n' "$((cold_rss / 1024))"
printf '\nrounds (ms): hugo build%s; quire cold ingest%s; search index built%s; restart%s\n' "$hugo_all" "$cold_all" "$ready_all" "$warm_all"
printf '\n(%s, %s cores, hugo %s)\n' "$(date -u +%Y-%m-%d)" "$(nproc)" "$(hugo version | awk '{print $2}')"
