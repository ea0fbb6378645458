#!/usr/bin/env bash
# The many-languages rows of `make bench` (issue 19): search p50/p99 over
# N generated posts in four languages (English, French, Japanese, Chinese:
# GEN_LANGUAGES=en,fr,ja,zh, bench/search.sh), beside the same N posts in
# English only, in one run and for one binary; and the sizes a reader and
# an owner pay: the binary, the client (wasm + JS, brotli). bench/run.sh
# calls it after its own part; alone it rewrites only its section of
# docs/BENCHMARKS.md (between the bench/languages.sh markers).
#
#   bench/languages.sh      (QUIRE_BIN=path to benchmark another binary as
#                            is; BENCH_POSTS=N, default 10000)
set -euo pipefail
cd "$(dirname "$0")/.."
N="${BENCH_POSTS:-10000}"
BIN="${QUIRE_BIN:-dist/quire}"
OUT="docs/BENCHMARKS.md"
DX_PUBLIC="target/dx/quire/release/web/public"
# The last commit before issue 19 (09bb439, the first of its search work:
# stemming and CJK pairs), whose sizes the change is measured from.
BASELINE_REF="${BASELINE_REF:-09bb439^}"
if [ -z "${QUIRE_BIN:-}" ]; then scripts/fresh-binary.sh "$BIN" || exit 1; fi
BIN="$(realpath "$BIN")"

# "p50 p99 kinds…" from bench/search.sh's last line.
search_line() {
  GEN_LANGUAGES="$1" QUIRE_BIN="$BIN" bench/search.sh "$N" | tail -1
}

# The client's wasm + JS in the dx output folder $1, brotli, as the
# server sends them; fails when there is none.
client_brotli() {
  local total=0 f
  for f in "$1"/assets/*.wasm "$1"/assets/*.js; do
    [ -f "$f" ] || continue
    total=$(( total + $(brotli -c -q 11 "$f" | wc -c) ))
  done
  [ "$total" -gt 0 ] || { echo "bench: no client in $1/assets" >&2; exit 1; }
  echo "$total"
}

# "binary-bytes client-bytes" of BASELINE_REF, built once in a worktree
# (its target seeded from this one's release builds, so only what changed
# is compiled) and cached in target/bench-baseline/<sha>.sizes.
baseline_sizes() {
  local sha dir cache
  sha="$(git rev-parse --short "$BASELINE_REF")"
  cache="target/bench-baseline/$sha.sizes"
  if [ ! -s "$cache" ]; then
    dir="target/bench-baseline/$sha"
    git worktree remove --force "$dir" 2>/dev/null || rm -rf "$dir"
    git worktree add --detach "$dir" "$sha" >&2
    mkdir -p "$dir/target"
    cp -a target/server-release target/wasm-release target/wasm32-unknown-unknown \
      target/x86_64-unknown-linux-gnu "$dir/target/" 2>/dev/null || true
    (cd "$dir" && make build >&2)
    echo "$(stat -c %s "$dir/dist/quire") $(client_brotli "$dir/$DX_PUBLIC")" >"$cache"
    git worktree remove --force "$dir"
  fi
  cat "$cache"
}

# Replaces the text between the markers in docs/BENCHMARKS.md (or appends it).
write_section() {
  python3 - "$OUT" "$1" <<'PY'
import re, sys
path, section = sys.argv[1], open(sys.argv[2]).read().strip("\n")
begin, end = "<!-- bench/languages.sh begin -->", "<!-- bench/languages.sh end -->"
block = f"{begin}\n{section}\n{end}"
try:
    text = open(path).read()
except FileNotFoundError:
    text = "# Benchmarks\n"
if begin in text and end in text:
    text = re.sub(re.escape(begin) + ".*?" + re.escape(end), lambda _: block, text, flags=re.S)
else:
    text = text.rstrip("\n") + "\n\n" + block + "\n"
open(path, "w").write(text)
PY
}

main() {
  command -v brotli >/dev/null || { echo "bench: needs brotli (apt-get install brotli)" >&2; exit 1; }
  local english mixed section
  local base binary client
  base=($(baseline_sizes))
  binary="$(stat -c %s "$BIN")"
  client="$(client_brotli "$DX_PUBLIC")"
  english=($(search_line en))
  mixed=($(search_line en,fr,ja,zh))
  section="$(mktemp)"
  {
    echo "## Many languages: search and sizes"
    echo
    echo "Measured by \`bench/languages.sh\` (also run by \`make bench\`), which writes this section: the search API over $N generated posts, the query mix of bench/search_times.py."
    echo
    echo "| posts | queries | p50 ms | p99 ms | p50 by kind (whole, prefix, typo, mixed[, French, CJK]) ms |"
    echo "|---|---|---|---|---|"
    echo "| $N, English | 400 English | ${english[0]} | ${english[1]} | ${english[*]:2} |"
    echo "| $N, English, French, Japanese, Chinese | 400 English, 100 French, 100 Japanese and Chinese | ${mixed[0]} | ${mixed[1]} | ${mixed[*]:2} |"
    echo
    echo "| size | before issue 19 ($(git rev-parse --short "$BASELINE_REF")) | now | change |"
    echo "|---|---|---|---|"
    echo "| binary ($(basename "$BIN")) | ${base[0]} | $binary | $(( binary - base[0] )) |"
    echo "| client, wasm + JS, brotli (budget 150,000) | ${base[1]} | $client | $(( client - base[1] )) |"
    echo
    echo "The change includes whatever else landed between the two commits (issues 17 and 18 among them: the client lost its listing renderer, 17.7 KB, to issue 17)."
    echo
    echo "($(date -u +%Y-%m-%d), commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown), $(nproc) cores, server on CPU 1, queries from CPU 0)"
  } >"$section"
  write_section "$section"
  cat "$section"
  rm -f "$section"
}
main "$@"
