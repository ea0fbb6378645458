#!/usr/bin/env bash
# Ingest benchmark: N generated posts, Quire cold ingest and unchanged
# restart against `hugo` building the same posts, in one run.
#   bench/ingest.sh [N]      (default 10000; needs dist/quire and hugo)
set -euo pipefail
cd "$(dirname "$0")/.."
N="${1:-10000}"
BIN="${QUIRE_BIN:-dist/quire}"
[ -x "$BIN" ] || { echo "build first: make build" >&2; exit 1; }
command -v hugo >/dev/null || { echo "install hugo (apt-get install hugo)" >&2; exit 1; }
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
python3 bench/gen-posts.py "$N" "$work/content" "$work/hugo"

# Runs quire until its first "serving" line; prints "wall_ms rss_kb"
# (wall time from process start, as hugo's figure is).
quire_ingest() {
  local log="$work/quire.log" port
  port=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
  mkdir -p "$work/public"
  local start; start=$(date +%s%N)
  DIOXUS_PUBLIC_PATH="$work/public" "$BIN" serve --content "$work/content" --data "$work/data" --addr "127.0.0.1:$port" >"$log" 2>&1 &
  local pid=$!
  until grep -q "Quire is serving" "$log"; do
    kill -0 "$pid" 2>/dev/null || { cat "$log" >&2; exit 1; }
    sleep 0.01
  done
  local ms rss
  ms=$(( ($(date +%s%N) - start) / 1000000 ))
  rss=$(awk '/VmRSS/{print $2}' /proc/$pid/status)
  kill "$pid"; wait "$pid" 2>/dev/null || true
  echo "$ms $rss"
}

hugo_start=$(date +%s%N)
hugo --quiet --source "$work/hugo" --destination "$work/hugo-out" >/dev/null
hugo_ms=$(( ($(date +%s%N) - hugo_start) / 1000000 ))
read -r cold_ms cold_rss < <(quire_ingest)
read -r warm_ms warm_rss < <(quire_ingest)

printf '\n| %s posts | time | vs hugo |\n|---|---|---|\n' "$N"
printf '| hugo build | %d ms | 1.00 |\n' "$hugo_ms"
printf '| quire cold ingest | %d ms | %s |\n' "$cold_ms" "$(python3 -c "print(f'{$cold_ms/$hugo_ms:.2f}')")"
printf '| quire restart, nothing changed | %d ms | %s |\n' "$warm_ms" "$(python3 -c "print(f'{$warm_ms/$hugo_ms:.2f}')")"
printf '| quire resident memory after ingest | %d MB | |\n' "$((cold_rss / 1024))"
printf '\n(%s, %s cores, hugo %s)\n' "$(date -u +%Y-%m-%d)" "$(nproc)" "$(hugo version | awk '{print $2}')"
