#!/usr/bin/env bash
# An author's edits on a large site (issue 18, "background work never
# pushes request p99 above the targets"; memory bounded by settings): a
# server over CONTENT (generated posts: bench/gen-posts.py) is started,
# then bench/lib/edits.sh edits the newest post's title three times, as
# `sed -i` saves, and this prints for each edit the time until `/` shows
# it, the slowest of the uncached listing pages (`/page/N`, N random)
# asked every 20 ms meanwhile, and resident memory a second after.
# bench/scale.sh takes the same figures at each size.
#
#   bench/edit.sh BIN CONTENT DATA [PORT]
#
# BIN is run as `BIN serve` on 127.0.0.1:PORT (default 8390) with DATA as
# its data directory (a first run there ingests every post first; run it
# twice to measure a restart). The post's text is put back after the
# third edit; the server is stopped on exit. Example, 100,000 posts:
#   python3 bench/gen-posts.py 100000 /tmp/e/content /tmp/e/hugo
#   bench/edit.sh dist/quire /tmp/e/content /tmp/e/data
#   bench/edit.sh dist/quire /tmp/e/content /tmp/e/data
set -euo pipefail
[ $# -ge 3 ] || { echo "usage: bench/edit.sh BIN CONTENT DATA [PORT]" >&2; exit 2; }
BIN=$1 CONTENT=$2 DATA=$3 PORT=${4:-8390}
URL="http://127.0.0.1:$PORT"
# shellcheck source=bench/lib/edits.sh
source "$(dirname "$0")/lib/edits.sh"
LOG=$(mktemp)
"$BIN" serve --content "$CONTENT" --data "$DATA" --addr "127.0.0.1:$PORT" \
  --requests-per-second-per-ip 0 > "$LOG" 2>&1 &
PID=$!
cleanup() {
  kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null
  rm -f "$LOG"
}
trap cleanup EXIT
started=$(date +%s%N)
until grep -q "search index ready" "$LOG" && grep -q "is serving" "$LOG"; do
  kill -0 "$PID" 2>/dev/null || { cat "$LOG" >&2; echo "the server stopped" >&2; exit 1; }
  [ "$(edits_ms_since "$started")" -lt 900000 ] || { echo "not serving after 900 s" >&2; exit 1; }
  sleep 0.5
done
curl -s -o /dev/null "$URL/"
sleep 2
posts=$(find "$CONTENT" -name '*.md' | wc -l)
measure_edits "$URL" "$PID" "$CONTENT" "$(( posts / 10 ))"
echo "| $(basename "$BIN"), $posts posts | edit 1 | edit 2 | edit 3 |"
echo "|---|---|---|---|"
echo "| edit shown on \`/\` after (ms) | ${EDIT_SHOWN[0]} | ${EDIT_SHOWN[1]} | ${EDIT_SHOWN[2]} |"
echo "| slowest uncached \`/page/N\` meanwhile (ms) | ${EDIT_SLOWEST[0]} | ${EDIT_SLOWEST[1]} | ${EDIT_SLOWEST[2]} |"
echo "| resident memory 1 s after, MB (${EDIT_RSS_BEFORE} MB before the first) | ${EDIT_RSS[0]} | ${EDIT_RSS[1]} | ${EDIT_RSS[2]} |"
