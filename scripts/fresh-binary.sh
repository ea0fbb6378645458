#!/usr/bin/env bash
# Is a binary built from the sources as they are now? `make build` stamps
# dist/quire; `make browser`, `make bench` and `make audit` refuse a binary
# whose stamp does not match the current build inputs.
#
#   scripts/fresh-binary.sh BINARY          exit 0 if BINARY.stamp matches the
#                                           inputs and BINARY; else say why, exit 1
#   scripts/fresh-binary.sh --begin BINARY  (make build, before compiling) record
#                                           the inputs in BINARY.stamp.pending
#   scripts/fresh-binary.sh --stamp BINARY  (make build, after packing) bind the
#                                           pending record to BINARY: BINARY.stamp
#
# The inputs are every tracked or untracked (not ignored) file under the paths
# below, hashed by content, so a commit that touches only docs/ or tests/
# keeps the binary fresh, and an uncommitted edit to src/ makes it stale.
# The stamp also holds the binary's sha256: a binary copied over dist/quire
# or rebuilt by hand is not the one that was stamped.
set -euo pipefail
cd "$(dirname "$0")/.."
INPUTS=(src crates assets content Cargo.toml Cargo.lock Dioxus.toml index.html .cargo/config.toml scripts/minify-imports.py scripts/find-module.sh)

# sha256 over the name and content of every input file that exists.
fingerprint() {
  git ls-files -z --cached --others --exclude-standard -- "${INPUTS[@]}" | sort -zu |
    while IFS= read -r -d '' f; do [ -f "$f" ] && printf '%s\0' "$f"; done |
    xargs -0 -r sha256sum | sha256sum | cut -d' ' -f1
}
record() {
  echo "commit=$(git rev-parse HEAD)"
  if [ -n "$(git status --porcelain -- "${INPUTS[@]}")" ]; then echo "dirty=yes"; else echo "dirty=no"; fi
  echo "inputs=$(fingerprint)"
}
field() { sed -n "s/^$1=//p" "$2"; }
binary_sha() { sha256sum "$1" | cut -d' ' -f1; }

mode=check
case "${1:-}" in
  --begin) mode=begin; shift ;;
  --stamp) mode=stamp; shift ;;
esac
BIN="${1:?usage: scripts/fresh-binary.sh [--begin|--stamp] BINARY}"
STAMP="$BIN.stamp"

if ! git rev-parse --git-dir >/dev/null 2>&1; then
  echo "fresh-binary: not a git checkout, cannot tell whether $BIN is current; using it as is" >&2
  exit 0
fi

case "$mode" in
  begin)
    mkdir -p "$(dirname "$BIN")"
    rm -f "$STAMP"
    record >"$STAMP.pending"
    exit 0 ;;
  stamp)
    [ -f "$STAMP.pending" ] || { echo "fresh-binary: no $STAMP.pending (run --begin before building)" >&2; exit 1; }
    { cat "$STAMP.pending"; echo "binary=$(binary_sha "$BIN")"; } >"$STAMP.tmp"
    mv "$STAMP.tmp" "$STAMP"
    rm -f "$STAMP.pending"
    exit 0 ;;
esac

stale() {
  echo "$BIN is stale: $*" >&2
  echo "  fix: make build (it rebuilds $BIN and writes $STAMP)" >&2
  exit 1
}
[ -x "$BIN" ] || stale "there is no executable $BIN"
[ -f "$STAMP" ] || stale "there is no $STAMP, so nothing says which sources it was built from"
[ "$(field binary "$STAMP")" = "$(binary_sha "$BIN")" ] ||
  stale "it is not the binary $STAMP describes (replaced or rebuilt outside make build)"
built_commit="$(field commit "$STAMP")"
if [ "$(field inputs "$STAMP")" != "$(fingerprint)" ]; then
  short="$(git rev-parse --short "$built_commit" 2>/dev/null || echo "$built_commit")"
  if [ "$(field dirty "$STAMP")" = no ] && git cat-file -e "$built_commit^{commit}" 2>/dev/null; then
    changed="$( { git diff --name-only "$built_commit" -- "${INPUTS[@]}"; git ls-files --others --exclude-standard -- "${INPUTS[@]}"; } | sort -u)"
    count="$(grep -c . <<<"$changed" || true)"
    stale "built at commit $short; $count input file(s) changed since: $(head -5 <<<"$changed" | paste -sd' ')$([ "$count" -gt 5 ] && echo ' ...')"
  else
    stale "built at commit $short$([ "$(field dirty "$STAMP")" = yes ] && echo ' with uncommitted changes'); the files under ${INPUTS[*]} differ now"
  fi
fi
exit 0
