# shellcheck shell=bash
# Sourced by bench/edit.sh and bench/scale.sh: an author's edits on a
# running server (issue 18: "background work never pushes request p99
# above the targets"; memory bounded by settings, not by post count).
#
#   measure_edits URL PID CONTENT PAGES
#
# edits the newest post of CONTENT (generated posts: bench/gen-posts.py)
# three times, as `sed -i` saves (a scratch file renamed over the post, as
# many editors do), while the server PID answers at URL. For each edit it
# records the ms until `/` shows it (EDIT_SHOWN), the slowest of the
# uncached listing pages `/page/N` (N random in 2..PAGES) asked every
# 20 ms meanwhile (EDIT_SLOWEST), and the server's resident memory in MB a
# second after (EDIT_RSS); EDIT_RSS_BEFORE before the first. The post's
# text is put back at the end (the server sees that as a fourth edit).
# Returns non-zero when an edit is not shown within 60 s.

edits_rss_mb() { echo $(( $(awk '/VmRSS/ {print $2}' "/proc/$1/status") / 1024 )); }
edits_ms_since() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }

# The newest post: the latest date, then the greatest file name, as `/`
# orders them (generated posts are named after their slugs).
edits_newest_post() {
  grep -r -m1 "^date = " "$1" --include='*.md' | sort -t: -k2,2 -k1,1 | tail -1 | cut -d: -f1
}

# The slowest of the uncached listing pages asked over 4 s, in ms, into
# the file $3 (URL PAGES FILE).
edits_probe() {
  local url=$1 pages=$2 slowest=0 until=$(( $(date +%s) + 4 )) ms
  [ "$pages" -ge 2 ] || pages=2 # a site of one page still asks /page/2 (its 404)
  while [ "$(date +%s)" -lt "$until" ]; do
    ms=$(curl -s -o /dev/null -m 10 -w '%{time_total}' "$url/page/$(( RANDOM % (pages - 1) + 2 ))" | awk '{printf "%d", $1 * 1000}')
    [ "$ms" -gt "$slowest" ] && slowest=$ms
    sleep 0.02
  done
  echo "$slowest" > "$3"
}

measure_edits() {
  local url=$1 pid=$2 content=$3 pages=$4 post original slowest_file n edited prober
  post=$(edits_newest_post "$content")
  original=$(mktemp); slowest_file=$(mktemp)
  cp "$post" "$original"
  EDIT_SHOWN=() EDIT_SLOWEST=() EDIT_RSS=()
  EDIT_RSS_BEFORE=$(edits_rss_mb "$pid")
  for n in 1 2 3; do
    sed -i "s/^title = \"/title = \"Edited$n /" "$post"
    edited=$(date +%s%N)
    edits_probe "$url" "$pages" "$slowest_file" &
    prober=$!
    until curl -s -m 10 "$url/" | grep -q "Edited$n "; do
      if [ "$(edits_ms_since "$edited")" -ge 60000 ]; then
        echo "edit $n of $post not shown on $url/ after 60 s" >&2
        wait "$prober"; cp "$original" "$post"; rm -f "$original" "$slowest_file"
        return 1
      fi
      sleep 0.02
    done
    EDIT_SHOWN+=("$(edits_ms_since "$edited")")
    wait "$prober"
    EDIT_SLOWEST+=("$(cat "$slowest_file")")
    sleep 1
    EDIT_RSS+=("$(edits_rss_mb "$pid")")
  done
  cp "$original" "$post"
  rm -f "$original" "$slowest_file"
}
