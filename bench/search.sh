#!/usr/bin/env bash
# Search latency alone, at N generated posts, for one binary: the API's
# p50/p99 over bench/run.sh's 400 English queries, and with
# GEN_LANGUAGES=en,fr,ja,zh also 200 French, Japanese and Chinese ones
# (bench/search_times.py). The server is pinned to CPU 1, the client to 0.
#
#   QUIRE_BIN=path bench/search.sh [N]      (N defaults to 10000)
#   GEN_LANGUAGES=en,fr,ja,zh QUIRE_BIN=path bench/search.sh
set -euo pipefail
cd "$(dirname "$0")/.."
N="${1:-10000}"
BIN="$(realpath "${QUIRE_BIN:?QUIRE_BIN=path to the binary}")"
work="$(mktemp -d)"; quire_pid=""
cleanup() { [ -n "$quire_pid" ] && kill "$quire_pid" 2>/dev/null && wait "$quire_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
python3 bench/gen-posts.py "$N" "$work/content" "$work/hugo" >/dev/null
port="$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')"
addr="127.0.0.1:$port"
taskset -c 1 "$BIN" serve --content "$work/content" --data "$work/data" --addr "$addr" >"$work/quire.log" 2>&1 &
quire_pid=$!
for _ in $(seq 1 2400); do
  grep -q "search index ready" "$work/quire.log" && break
  kill -0 "$quire_pid" 2>/dev/null || { cat "$work/quire.log" >&2; exit 1; }
  sleep 0.05
done
grep -q "search index ready" "$work/quire.log" || { echo "bench: no search index within 120 s" >&2; exit 1; }
mixed=(); [ "${GEN_LANGUAGES:-en}" != en ] && mixed=(--mixed)
echo "posts: $N, languages: ${GEN_LANGUAGES:-en}, binary: $BIN ($(stat -c %s "$BIN") bytes)"
echo "API p50 p99, then p50 by kind (whole prefix typo mixed${mixed:+ french cjk}), ms:"
taskset -c 0 python3 bench/search_times.py "$addr" "/api/search?limit=20&q=" "${mixed[@]}"
