#!/usr/bin/env bash
# Export benchmark: N generated posts (bench/gen-posts.py), `quire export`
# (cold: empty data and output folders) against `hugo` building the same
# posts into an empty destination, BENCH_ROUNDS rounds interleaved
# (default 3), medians and their ratio; then a re-export after one post is
# edited (store and folder warm), and the exported size beside Hugo's.
#   bench/export.sh [N]      (default 10000; needs dist/quire and hugo)
#   QUIRE_BIN=path           another binary, used as is
# Alone it rewrites its own section of docs/BENCHMARKS.md (between the
# bench/export.sh markers); bench/run.sh (BENCH_FROM_RUN=1) prints it in
# its own report instead.
# Hugo's site from gen-posts.py renders bare pages (no feeds, sitemap,
# pagination or compression); Quire's export has all of those. Last, the
# static search index's size, and its search in throttled Chromium
# (bench/static-search.mjs).
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
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
quire_export() {
  /usr/bin/time -f '%M' -o "$work/rss" "$BIN" export "$work/out-$1" --content "$work/content" --data "$work/data-$1" \
    --base-url https://bench.example >"$work/export.log" 2>&1 || { cat "$work/export.log" >&2; exit 1; }
}

# Each round writes into folders of its own, and none is removed before
# the last round: on a file system without a journal (this machine's
# ext4), creating files within 30 s of deleting tens of thousands makes
# the kernel skip each recently freed inode (ext4's recently_deleted),
# which cost whichever tool came after the deletion seconds that were
# neither tool's work.
hugo_all=""; export_all=""; edit_all=""; rss_all=""
for round in $(seq 1 "$ROUNDS"); do
  start=$(now_ms)
  hugo --quiet --source "$work/hugo" --destination "$work/hugo-out-$round" >/dev/null
  hugo_all="$hugo_all $(( $(now_ms) - start ))"
  start=$(now_ms)
  quire_export "$round"
  export_all="$export_all $(( $(now_ms) - start ))"
  rss_all="$rss_all $(cat "$work/rss")"
  # One post edited, then exported again into the same folder.
  post="$work/content/post-$(printf %05d "$round").md"
  printf '\nEdited in round %s.\n' "$round" >>"$post"
  start=$(now_ms)
  quire_export "$round"
  edit_all="$edit_all $(( $(now_ms) - start ))"
  echo "bench: export round $round: hugo ${hugo_all##* } ms, quire export ${export_all##* } ms, re-export after one edit ${edit_all##* } ms ($(tail -1 "$work/export.log" | grep -o '[0-9]* written'))" >&2
done
median() { python3 -c "import sys, statistics; print(round(statistics.median(int(x) for x in sys.argv[1:])))" $1; }
hugo_ms=$(median "$hugo_all"); export_ms=$(median "$export_all"); edit_ms=$(median "$edit_all")
rss_kb=$(median "$rss_all")
out="$work/out-$ROUNDS"; hugo_out="$work/hugo-out-$ROUNDS"
vs_hugo() { python3 -c "print(f'{$1/$hugo_ms:.2f}')"; }
size() { find "$1" -type f ! -name .quire-export "${@:2}" | wc -l; }
bytes() { find "$1" -type f ! -name .quire-export "${@:2}" -printf '%s\n' | awk '{s+=$1} END {print s+0}'; }
plain=(! -name '*.br' ! -name '*.gz')
report() {
printf '\n| %s posts, median of %s rounds | time | vs hugo |\n|---|---|---|\n' "$N" "$ROUNDS"
printf '| hugo build | %d ms | 1.00 |\n' "$hugo_ms"
printf '| quire export, cold (ingest, render, compress, write) | %d ms | %s |\n' "$export_ms" "$(vs_hugo "$export_ms")"
printf '| quire re-export after one edit | %d ms | %s |\n' "$edit_ms" "$(vs_hugo "$edit_ms")"
printf '| quire export, peak resident memory | %d MB | |\n' "$((rss_kb / 1024))"
printf '\n| output | files | bytes |\n|---|---|---|\n'
printf '| hugo public/ | %d | %d |\n' "$(size "$hugo_out")" "$(bytes "$hugo_out")"
printf '| quire export, without .br/.gz | %d | %d |\n' "$(size "$out" "${plain[@]}")" "$(bytes "$out" "${plain[@]}")"
printf '| quire export, with .br/.gz | %d | %d |\n' "$(size "$out")" "$(bytes "$out")"
search_files=$(find "$out/_search" -type f -name '*.br' | wc -l)
search_br=$(find "$out/_search" -type f -name '*.br' -printf '%s\n' | awk '{s+=$1} END {print s+0}')
# The module and loader _search/meta.json names (the bundle has two
# modules: every language's stemmer, and English's alone).
named() { python3 -c "import json, sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])" "$out/_search/meta.json" "$1"; }
engine_br=$(( $(stat -c %s "$out$(named engine).br") + $(stat -c %s "$out$(named loader).br") ))
printf '| the static search index (_search/), brotli | %d | %d |\n' "$search_files" "$search_br"
printf '| the search engine it names and its loader (%s), brotli | 2 | %d |\n' "$(basename "$(named engine)")" "$engine_br"
printf '\n'
# Typed back to back from the first focus, then, once the posts' packs
# are in (the loader fetches them between queries), ten other queries;
# each query's keys back to back, then, in a new browser, at 150 ms a
# key (a reader typing: each keystroke's query fetches while
# the next key comes).
first=(latency "replica partition" schedul kernal "quorum lease" postgres compaction "tracing span" certificat rust)
node bench/static-search.mjs "$out" "${first[@]}" \
  -- throughput allocat snapshot handshak "canary rollout" consumer checkpoint pipelin socket migraton
printf '\n'
node bench/static-search.mjs --typing 150 "$out" "${first[@]}"
# The bundled demo (content/), small enough that its whole index comes in
# the background: from then on a query fetches nothing.
"$BIN" export "$work/demo-out" --content content --data "$work/demo-data" --base-url https://bench.example >"$work/export.log" 2>&1 \
  || { cat "$work/export.log" >&2; exit 1; }
printf '
The bundled demo (content/, %s posts), exported the same way:

' "$(find content -name '*.md' ! -name '_*' | wc -l)"
node bench/static-search.mjs "$work/demo-out" rust "tokio async" kubernets "postgres vacuum" webgpu \
  -- "llm inference" databse "observability tracing" "zero trust" ebpf "serverless cold" wasm migrations
printf '\nrounds (ms): hugo build%s; quire export%s; re-export after one edit%s\n' "$hugo_all" "$export_all" "$edit_all"
printf '\n(%s, %s cores, hugo %s)\n' "$(date -u +%Y-%m-%d)" "$(nproc)" "$(hugo version | awk '{print $2}')"
}
report | tee "$work/section.md"
[ -n "${BENCH_FROM_RUN:-}" ] && exit 0
python3 - docs/BENCHMARKS.md "$work/section.md" <<'PY'
import re, sys
path, table = sys.argv[1], open(sys.argv[2]).read().strip("\n")
begin, end = "<!-- bench/export.sh begin -->", "<!-- bench/export.sh end -->"
block = f"{begin}\n## Static export: Quire against Hugo, and search on a static host (bench/export.sh)\n{table}\n{end}"
text = open(path).read()
if begin in text and end in text:
    text = re.sub(re.escape(begin) + ".*?" + re.escape(end), lambda _: block, text, flags=re.S)
else:
    text = text.rstrip("\n") + "\n\n" + block + "\n"
open(path, "w").write(text)
PY
