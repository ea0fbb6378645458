#!/usr/bin/env bash
# Load test: wrk at 256 connections for 60 s over a mix of index, listing,
# article, search, feed and asset URLs on 127.0.0.1, against a fresh copy of
# the demo content. Reports throughput, latency, socket errors and
# responses that are not 2xx/3xx; exits 1 if there are any of the latter
# two (timeouts included). Not part of `make test`: run `make load`.
#
# Usage: scripts/load.sh [BINARY]   (default dist/quire)
# Environment: DURATION (60s), CONNECTIONS (256), THREADS (2).
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
binary="$(realpath "${1:-${QUIRE_BIN:-$repo/dist/quire}}")"
duration="${DURATION:-60s}"
connections="${CONNECTIONS:-256}"
threads="${THREADS:-2}"

command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)" >&2; exit 2; }
[ -x "$binary" ] || { echo "no binary at $binary (make build)" >&2; exit 2; }

work="$(mktemp -d)"
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill -TERM "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

cp -r "$repo/content" "$work/content"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
base="http://127.0.0.1:$port"
"$binary" serve --content "$work/content" --data "$work/data" --addr "127.0.0.1:$port" 2>"$work/server.log" &
server_pid=$!
for _ in $(seq 300); do
  curl -fs -o /dev/null "$base/healthz" && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log" >&2; exit 1; }
  sleep 0.1
done

# The URL mix: the index and listing pages, every article, searches, feeds,
# and the client assets the index links to.
{
  for _ in 1 2 3 4 5; do echo "/"; done
  for n in 2 3 4 5; do echo "/page/$n"; done
  echo "/category/databases"; echo "/tags/rust"; echo "/?tag=rust"
  find "$work/content" -name '*.md' | sed -E 's#.*/##; s#\.md$##; s#^[0-9]{4}-[0-9]{2}-[0-9]{2}-##; s#^#/blog/#' | grep -v '/index$'
  for q in rust postgres kubernetes "web+assembly" latency cache; do echo "/search?q=$q"; done
  echo "/atom.xml"; echo "/feed.json"; echo "/sitemap.xml"
  curl -fs "$base/" | grep -oE '(href|src)="/(\./)?assets/[^"]+"' | sed -E 's#^[a-z]+="##; s#"$##; s#^/\./#/#' | grep -v ' ' | sort -u
} > "$work/paths.txt"
echo "$(wc -l < "$work/paths.txt") URLs in the mix; wrk -t$threads -c$connections -d$duration on $base"

# Warm the page cache once, as a running site would be.
while read -r path; do curl -fs -o /dev/null "$base$path" || true; done < "$work/paths.txt"

ulimit -n 4096 2>/dev/null || true
LOAD_PATHS="$work/paths.txt" wrk -t"$threads" -c"$connections" -d"$duration" --timeout 10s --latency \
  -s "$repo/scripts/load.lua" "$base" | tee "$work/wrk.txt"

rss_kb="$(awk '/VmRSS/ {print $2}' "/proc/$server_pid/status")"
echo "server RSS after the run: $((rss_kb / 1024)) MB"
if grep -q "panicked" "$work/server.log"; then echo "the server log holds a panic" >&2; exit 1; fi
bad="$(awk '/^responses not 2xx\/3xx:/ {print $NF}' "$work/wrk.txt")"
socket="$(awk -F'[ ,]+' '/^socket errors:/ {print $4 + $6 + $8 + $10}' "$work/wrk.txt")"
if [ "${bad:-1}" != "0" ] || [ "${socket:-1}" != "0" ]; then
  echo "FAILED: $bad responses not 2xx/3xx, $socket socket errors" >&2
  exit 1
fi
echo "OK: no socket errors, every response 2xx/3xx"
