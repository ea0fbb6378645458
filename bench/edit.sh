#!/usr/bin/env bash
# An author's edits on a large site (issue 18, "background work never
# pushes request p99 above the targets"; memory bounded by settings): a
# server over CONTENT (generated posts: bench/gen-posts.py) is started,
# then the newest post's title is edited three times, as `sed -i` saves
# (a scratch file renamed over the post, as many editors do). For each
# edit it prints the time until `/` shows it, the slowest of the uncached
# listing pages (`/page/N`, N random) asked every 20 ms meanwhile, and
# resident memory a second after; resident memory after the start first.
#
#   bench/edit.sh BIN CONTENT DATA [PORT]
#
# BIN is run as `BIN serve` on 127.0.0.1:PORT (default 8390) with DATA as
# its data directory (a first run there ingests every post first; run it
# twice to measure a restart). The post's text is put back on exit; the
# server is stopped on exit. Example, 100,000 posts:
#   python3 bench/gen-posts.py 100000 /tmp/e/content /tmp/e/hugo
#   bench/edit.sh dist/quire /tmp/e/content /tmp/e/data
#   bench/edit.sh dist/quire /tmp/e/content /tmp/e/data
set -euo pipefail
[ $# -ge 3 ] || { echo "usage: bench/edit.sh BIN CONTENT DATA [PORT]" >&2; exit 2; }
BIN=$1 CONTENT=$2 DATA=$3 PORT=${4:-8390}
URL="http://127.0.0.1:$PORT"
WORK=$(mktemp -d)
LOG="$WORK/serve.log"
# The newest post: the latest date, then the greatest file name, as `/`
# orders them (generated posts are named after their slugs).
POST=$(grep -r -m1 "^date = " "$CONTENT" --include='*.md' | sort -t: -k2,2 -k1,1 | tail -1 | cut -d: -f1)
cp "$POST" "$WORK/original.md"
"$BIN" serve --content "$CONTENT" --data "$DATA" --addr "127.0.0.1:$PORT" \
  --requests-per-second-per-ip 0 > "$LOG" 2>&1 &
PID=$!
cleanup() {
  cp "$WORK/original.md" "$POST"
  kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT
rss_mb() { echo $(( $(awk '/VmRSS/ {print $2}' "/proc/$PID/status") / 1024 )); }
ms_since() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }
# The slowest uncached listing page asked over 4 s, into $WORK/slowest.
probe() {
  local slowest=0 until=$(( $(date +%s) + 4 )) ms
  while [ "$(date +%s)" -lt "$until" ]; do
    ms=$(curl -s -o /dev/null -m 10 -w '%{time_total}' "$URL/page/$(( RANDOM % 4000 + 2 ))" | awk '{printf "%d", $1 * 1000}')
    [ "$ms" -gt "$slowest" ] && slowest=$ms
    sleep 0.02
  done
  echo "$slowest" > "$WORK/slowest"
}
started=$(date +%s%N)
until grep -q "search index ready" "$LOG" && grep -q "is serving" "$LOG"; do
  kill -0 "$PID" 2>/dev/null || { cat "$LOG" >&2; echo "the server stopped" >&2; exit 1; }
  [ "$(ms_since "$started")" -lt 900000 ] || { echo "not serving after 900 s" >&2; exit 1; }
  sleep 0.5
done
curl -s -o /dev/null "$URL/"
sleep 2
echo "| $(basename "$BIN"), $(find "$CONTENT" -name '*.md' | wc -l) posts | edit 1 | edit 2 | edit 3 |"
echo "|---|---|---|---|"
start_rss=$(rss_mb)
visible=() slowest=() rss=()
for n in 1 2 3; do
  sed -i "s/^title = \"/title = \"Edited$n /" "$POST"
  edited=$(date +%s%N)
  probe &
  prober=$!
  until curl -s -m 10 "$URL/" | grep -q "Edited$n "; do
    [ "$(ms_since "$edited")" -lt 60000 ] || { echo "edit $n not shown after 60 s" >&2; exit 1; }
    sleep 0.02
  done
  visible+=("$(ms_since "$edited") ms")
  wait "$prober"
  slowest+=("$(cat "$WORK/slowest") ms")
  sleep 1
  rss+=("$(rss_mb) MB")
done
echo "| edit shown on \`/\` after | ${visible[0]} | ${visible[1]} | ${visible[2]} |"
echo "| slowest uncached \`/page/N\` meanwhile | ${slowest[0]} | ${slowest[1]} | ${slowest[2]} |"
echo "| resident memory 1 s after (${start_rss} MB before the first) | ${rss[0]} | ${rss[1]} | ${rss[2]} |"
