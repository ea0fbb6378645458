#!/usr/bin/env bash
# The scale rows (issue 18): Quire at 1,000, 10,000 and 100,000 generated posts in
# one run, every figure printed for each size so the growth is visible.
# Alone it rewrites only its own section of docs/BENCHMARKS.md (between the
# bench/scale.sh markers).
#
#   bench/scale.sh   (QUIRE_BIN=path to benchmark another binary as is,
#                     QUIRE_BIN_COMMIT=the commit it was built from;
#                     BENCH_SCALE_SIZES="1000 10000 100000" (default) the post
#                     counts; BENCH_SCALE_SECONDS=S (default 3) per wrk run;
#                     BENCH_SCALE_HUGO_LIMIT=S (default 600) and
#                     BENCH_SCALE_HUGO_MAX_MB=M (default 8000) Hugo's limits;
#                     BENCH_SCALE_NO_WRITE=1 prints without writing the file;
#                     BENCH_SCALE_SECTION=name writes a section of its own,
#                     between `bench/scale.sh name` markers, e.g. the
#                     1,000,000-post run: BENCH_SCALE_SIZES=1000000
#                     BENCH_SCALE_SECTION=million BENCH_SCALE_START_LIMIT=3600;
#                     BENCH_SCALE_START_LIMIT=S (default 900) per start;
#                     BENCH_SCALE_BASE_URL=URL the site's base_url, as its
#                     owner sets it: the sitemap is then split before the
#                     first crawler asks, not at its request)
#
# For each size, all on 127.0.0.1; for the load runs Quire is pinned to
# CPU 1 and the load generator to CPU 0:
# - cold ingest (empty data directory, every core: parsing is parallel)
#   until `/` answers 200 and until a search for a known word finds posts;
# - restart with nothing changed (SIGTERM, start again) until both answer;
# - restart with the search index deleted (as after damage): until the
#   rebuild logs "search index ready", and resident memory 2 s later;
# - the first request for `/` right after "serving" is logged;
# - p99 under wrk (BENCH_SCALE_SECONDS, 10 connections, after a 1 s
#   warm-up) for the index, a deep page, a category, a tag, an article,
#   search (known word, prefix, typo), /sitemap.xml and /sitemaps/1.xml;
# - resident memory after ingest and after the load runs, and per post;
# - three edits of the newest post as `sed -i` saves them, on the same
#   server after the load runs (bench/lib/edits.sh): the slowest until `/`
#   shows it, the slowest uncached listing page asked meanwhile, and
#   resident memory a second after the last;
# - Hugo on the same posts, stopped past its time or memory limit (its
#   time and peak memory at that point are reported).
# Every process it starts is stopped on exit; the work directory is deleted.
set -euo pipefail
cd "$(dirname "$0")/.."
SIZES="${BENCH_SCALE_SIZES:-1000 10000 100000}"
SECONDS_PER_RUN="${BENCH_SCALE_SECONDS:-3}"
HUGO_LIMIT="${BENCH_SCALE_HUGO_LIMIT:-600}"
HUGO_MAX_MB="${BENCH_SCALE_HUGO_MAX_MB:-8000}"
START_LIMIT="${BENCH_SCALE_START_LIMIT:-900}" # seconds any one start may take before the bench gives up
SECTION="${BENCH_SCALE_SECTION:-}"
TAG="bench/scale.sh${SECTION:+ $SECTION}" # its section's markers in docs/BENCHMARKS.md
CONNECTIONS=10
BIN="${QUIRE_BIN:-dist/quire}"
# The commit the binary was built from: HEAD for `make build`, else as
# QUIRE_BIN_COMMIT names it (a copy kept from an earlier commit).
BUILT="${QUIRE_BIN_COMMIT:-$(git rev-parse --short HEAD)}"
OUT="docs/BENCHMARKS.md"
# shellcheck source=bench/lib/edits.sh
source "$(dirname "$0")/lib/edits.sh"

log() { echo "bench-scale: $*" >&2; }
die() { log "$*"; exit 1; }
for t in wrk curl python3 taskset hugo; do command -v "$t" >/dev/null || die "needs $t"; done
[ -x "$BIN" ] || die "no executable $BIN (QUIRE_BIN, or make build)"
BIN="$(realpath "$BIN")"

work="$(mktemp -d)"; quire_pid=""
stop_quire() { # SIGTERM, and wait for it to finish (its exit status is not ours)
  if [ -n "$quire_pid" ]; then kill "$quire_pid" 2>/dev/null; wait "$quire_pid" 2>/dev/null || true; fi
  quire_pid=""
}
cleanup() { stop_quire || true; rm -rf "$work"; }
trap cleanup EXIT
trap 'exit 130' INT TERM

now() { date +%s.%N; }
since() { python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.2f}')" "$1" "$(now)"; }
rss_mb() { awk '/VmRSS/{printf "%.0f", $2 / 1024}' "/proc/$1/status"; }
free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }

# Starts Quire on the posts in $dir on CPUs $1; returns once it is
# started (not ready).
start_quire() {
  port="$(free_port)"; base="http://127.0.0.1:$port"
  env ${BENCH_SCALE_BASE_URL:+QUIRE_BASE_URL="$BENCH_SCALE_BASE_URL"} taskset -c "$1" "$BIN" serve \
    --content "$dir/content" --data "$dir/data" \
    --addr "127.0.0.1:$port" >"$dir/quire.log" 2>&1 &
  quire_pid=$!
}
# Polls until `$1` answers 200 (with `$2` in the body, if given).
wait_for() {
  local deadline=$(( $(date +%s) + START_LIMIT ))
  while [ "$(date +%s)" -lt "$deadline" ]; do
    kill -0 "$quire_pid" 2>/dev/null || die "quire exited: $(tail -5 "$dir/quire.log")"
    if body="$(curl -sf "$base$1" 2>/dev/null)" && { [ -z "${2:-}" ] || grep -q "$2" <<<"$body"; }; then
      return 0
    fi
    sleep 0.05
  done
  die "no answer at $1 within $START_LIMIT s"
}
# Seconds from start until pages and until search answer, into
# $pages_s and $search_s (no subshell: quire_pid must stay set).
time_start() {
  local t0; t0="$(now)"; start_quire "0-$(( $(nproc) - 1 ))"
  wait_for /; pages_s="$(since "$t0")"
  wait_for "/search?q=latency" "/blog/post-"; search_s="$(since "$t0")"
}
# A start with the search index deleted: seconds until the rebuild logs
# "search index ready" into $rebuild_s, RSS 2 s later into $rebuild_mb.
rebuild_search() {
  rm -rf "$dir/data/search"
  local t0 deadline; t0="$(now)"; deadline=$(( $(date +%s) + START_LIMIT ))
  start_quire "0-$(( $(nproc) - 1 ))"
  until grep -q "search index ready" "$dir/quire.log"; do
    kill -0 "$quire_pid" 2>/dev/null || die "quire exited: $(tail -5 "$dir/quire.log")"
    [ "$(date +%s)" -lt "$deadline" ] || die "no rebuilt search index within $START_LIMIT s"
    sleep 0.05
  done
  rebuild_s="$(since "$t0")"; sleep 2; rebuild_mb="$(rss_mb "$quire_pid")"
}
# The first `/` after "serving" is logged, in ms, into $first_ms.
first_request() {
  start_quire 1
  until grep -q "Quire is serving" "$dir/quire.log"; do
    kill -0 "$quire_pid" 2>/dev/null || die "quire exited"; sleep 0.02
  done
  first_ms="$(curl -s -o /dev/null -w '%{time_total}' "$base/" | python3 -c 'import sys; print(f"{float(sys.stdin.read()) * 1000:.0f}")')"
}
# p99 in ms of `$1` under wrk, asking for compressed bodies as browsers
# and crawlers do (without it a 1 MB sitemap file is sent whole to each).
ACCEPT="Accept-Encoding: br, gzip"
p99() {
  taskset -c 0 wrk -t1 -c"$CONNECTIONS" -d1s -H "$ACCEPT" "$base$1" >/dev/null
  taskset -c 0 wrk -t1 -c"$CONNECTIONS" -d"${SECONDS_PER_RUN}s" -H "$ACCEPT" --latency "$base$1" |
    awk '$1 == "99%" { v = $2; if (v ~ /us$/) { sub(/us/, "", v); v /= 1000 }
      else if (v ~ /ms$/) { sub(/ms/, "", v) } else if (v ~ /s$/) { sub(/s/, "", v); v *= 1000 }
      printf "%.2f", v }'
}
# Hugo's build of the same posts: "seconds, peak MB", or where it was
# stopped: past HUGO_LIMIT seconds or HUGO_MAX_MB of memory (Hugo holds
# every page it renders; at 10,000 posts it peaked at 1.5 GB).
hugo_build() {
  local t0 peak=0 rss; t0="$(now)"
  nice -n 5 hugo -s "$dir/hugo" -d "$dir/hugo/public" --quiet >"$dir/hugo.log" 2>&1 &
  local pid=$! deadline=$(( $(date +%s) + HUGO_LIMIT ))
  while kill -0 "$pid" 2>/dev/null; do
    rss="$(awk '/VmRSS/{print int($2 / 1024)}' "/proc/$pid/status" 2>/dev/null || echo 0)"
    [ "${rss:-0}" -gt "$peak" ] && peak="$rss"
    if [ "$(date +%s)" -ge "$deadline" ] || [ "$peak" -gt "$HUGO_MAX_MB" ]; then
      kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true
      echo "stopped at $(since "$t0") s, $peak MB"; return
    fi
    sleep 0.5
  done
  if wait "$pid"; then echo "$(since "$t0") s, $peak MB"; else
    log "hugo failed: $(tail -3 "$dir/hugo.log")"; echo "failed after $(since "$t0") s"
  fi
}

PATHS="/ /page/400 /category/databases /tags/rust /blog/post-00042 /search?q=latency /search?q=laten /search?q=latncy /sitemap.xml /sitemaps/1.xml"
declare -A R
measure() { # N
  local n="$1"; dir="$work/$n"; mkdir -p "$dir"
  log "$n posts: generating"
  python3 bench/gen-posts.py "$n" "$dir/content" "$dir/hugo" >/dev/null
  # The generator's files written out first: otherwise the kernel's
  # writeback of them (1.6 GB at 100,000 posts) runs during the ingest.
  sync
  log "$n posts: cold ingest"
  time_start; R[$n,cold_pages]="$pages_s"; R[$n,cold_search]="$search_s"
  log "$n posts: cold ingest: pages $pages_s s, search $search_s s"
  R[$n,ingest_ms_per_post]="$(python3 -c "print(f'{$pages_s * 1000 / $n:.3f}')")"
  R[$n,rss_ingest]="$(rss_mb "$quire_pid")"; log "$n posts: RSS after ingest ${R[$n,rss_ingest]} MB"
  stop_quire
  log "$n posts: restart"
  time_start; R[$n,warm_pages]="$pages_s"; R[$n,warm_search]="$search_s"
  log "$n posts: restart: pages $pages_s s, search $search_s s"
  stop_quire
  rebuild_search; R[$n,rebuild]="$rebuild_s"; R[$n,rss_rebuild]="$rebuild_mb"
  log "$n posts: search index rebuilt in $rebuild_s s, RSS then $rebuild_mb MB"
  stop_quire
  first_request; R[$n,first]="$first_ms"; log "$n posts: first / $first_ms ms"
  wait_for "/search?q=latency" "/blog/post-"
  local deep=$(( n / 10 / 2 )) # half way through the index's pages (10 a page)
  for path in $PATHS; do
    local url="$path"; [ "$path" = /page/400 ] && url="/page/$deep"
    R[$n,$path]="$(p99 "$url")"
    log "$n posts: p99 $url ${R[$n,$path]} ms"
  done
  R[$n,deep]="/page/$deep"
  R[$n,rss_load]="$(rss_mb "$quire_pid")"
  R[$n,kb_per_post]="$(python3 -c "print(f'{${R[$n,rss_load]} * 1024 / $n:.1f}')")"
  log "$n posts: RSS after load ${R[$n,rss_load]} MB"
  measure_edits "$base" "$quire_pid" "$dir/content" "$(( n / 10 ))" || die "$n posts: an edit was not shown"
  R[$n,edit_shown]="$(printf '%s\n' "${EDIT_SHOWN[@]}" | sort -n | tail -1)"
  R[$n,edit_slowest]="$(printf '%s\n' "${EDIT_SLOWEST[@]}" | sort -n | tail -1)"
  R[$n,edit_rss]="${EDIT_RSS[2]}"
  log "$n posts: edits shown after ${EDIT_SHOWN[*]} ms, slowest listing meanwhile ${EDIT_SLOWEST[*]} ms, RSS ${EDIT_RSS[*]} MB"
  stop_quire
  log "$n posts: hugo (limit $HUGO_LIMIT s)"
  R[$n,hugo]="$(hugo_build)"; log "$n posts: hugo ${R[$n,hugo]}"
  rm -rf "$dir"
}
LOAD_AT_START="$(cut -d' ' -f1-3 /proc/loadavg)"
for n in $SIZES; do measure "$n"; done

row() { # label key...
  local line="| $1 |"; shift
  for n in $SIZES; do line+=" ${R[$n,$1]} |"; done
  echo "$line"
}
table() {
  local head="| $(printf '%s' "figure") |" rule="|---|"
  for n in $SIZES; do head+=" $n posts |"; rule+="---|"; done
  echo "$head"; echo "$rule"
  row "cold ingest until pages answer (s)" cold_pages
  row "cold ingest until search answers (s)" cold_search
  row "cold ingest per post (ms)" ingest_ms_per_post
  row "restart until pages answer (s)" warm_pages
  row "restart until search answers (s)" warm_search
  row "search index deleted: restart until rebuilt (s)" rebuild
  row "search index deleted: RSS 2 s after the rebuild (MB)" rss_rebuild
  row "first \`/\` after start (ms)" first
  for path in $PATHS; do
    local label="$path"; [ "$path" = /page/400 ] && label="deep page"
    row "p99 \`$label\` (ms)" "$path"
  done
  row "RSS after ingest (MB)" rss_ingest
  row "RSS after load (MB)" rss_load
  row "RSS per post after load (KB)" kb_per_post
  row "three edits (\`sed -i\`): the slowest shown on \`/\` after (ms)" edit_shown
  row "three edits: slowest \`/page/N\` (N random) meanwhile (ms)" edit_slowest
  row "three edits: RSS 1 s after the last (MB)" edit_rss
  row "Hugo build (time, peak RSS)" hugo
  local sizes=($SIZES)
  if [ "${#sizes[@]}" -ge 2 ]; then
    local a="${sizes[0]}" b="${sizes[-1]}"
    echo
    echo "Memory per post from $a to $b posts (RSS after load, difference over the posts added):" \
      "$(python3 -c "print(f'{(${R[$b,rss_load]} - ${R[$a,rss_load]}) * 1024 * 1024 / ($b - $a):.0f}')") bytes."
  fi
}
# The command that reproduces the run, with the settings it was given.
command_line() {
  local v line=""
  for v in BENCH_SCALE_SIZES BENCH_SCALE_SECTION BENCH_SCALE_START_LIMIT BENCH_SCALE_HUGO_LIMIT BENCH_SCALE_SECONDS BENCH_SCALE_BASE_URL; do
    [ -n "${!v:-}" ] && line+="$v=${!v} "
  done
  [ -n "${QUIRE_BIN:-}" ] && line+="QUIRE_BIN=<binary of $BUILT> "
  echo "${line}bench/scale.sh"
}
title() {
  local sizes=($SIZES)
  python3 -c "import sys; n = [f'{int(x):,}' for x in sys.argv[1:]]; print('## Scale: ' + (n[0] + ' to ' + n[-1] if len(n) > 1 else 'one run at ' + n[0]) + ' posts')" "${sizes[@]}"
}
section() {
  echo "<!-- $TAG begin -->"
  title
  echo
  echo "Written by \`$(command_line)\` on $(date -u +%Y-%m-%d) ($(nproc) cores, build of $BUILT,"
  echo "wrk ${SECONDS_PER_RUN} s, $CONNECTIONS connections, \`$ACCEPT\`, after a 1 s warm-up; deep pages: $(for n in $SIZES; do printf '%s ' "${R[$n,deep]}"; done| sed 's/ $//');"
  echo "load average at the start $LOAD_AT_START: other work on the machine shows in every figure):"
  echo
  table
  echo "<!-- $TAG end -->"
}
text="$(section)"
echo "$text"
[ -n "${BENCH_SCALE_NO_WRITE:-}" ] && exit 0
python3 - "$OUT" "$text" "$TAG" <<'EOF'
import re, sys
path, text, tag = sys.argv[1], sys.argv[2], sys.argv[3]
begin, end = f"<!-- {tag} begin -->", f"<!-- {tag} end -->"
try:
    old = open(path).read()
except FileNotFoundError:
    old = ""
if begin in old and end in old:
    new = old[:old.index(begin)] + text + old[old.index(end) + len(end):]
else:
    new = old.rstrip("\n") + "\n\n" + text + "\n"
open(path, "w").write(new)
EOF
log "wrote its section of $OUT"
