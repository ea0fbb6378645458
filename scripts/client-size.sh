#!/usr/bin/env bash
# Prints the client's size: wasm, JS and CSS, raw and brotli (quality 11),
# and fails (exit 1) when the wasm and JS together are over the budget of
# 150,000 B brotli (docs/BUDGETS.md), so `make build` and `make test` fail.
# The static-host search module and its loader (quire-find-*) are loaded only when a
# reader first focuses the search box on an exported site: it has a budget
# of its own (FIND_BUDGET) and is not part of the page's.
set -euo pipefail
public="${1:?usage: client-size.sh PUBLIC_DIR}"
total_raw=0; total_br=0
printf '%-48s %10s %10s\n' "client file" "raw B" "brotli B"
# An export names one of the modules (every language's, or English's
# alone): the budget holds for the largest with the loader.
find_br=0; loader_br=0
for f in "$public"/assets/quire-find-*.wasm "$public"/assets/quire-find-*.js; do
  [ -f "$f" ] || continue
  br=$(brotli -c -q 11 "$f" | wc -c)
  case "$f" in
    *.js) loader_br=$br;;
    *) if [ "$br" -gt "$find_br" ]; then find_br=$br; fi;;
  esac
  printf '%-48s %10d %10d\n' "$(basename "$f") (search, on focus)" "$(stat -c %s "$f")" "$br"
done
if [ "$find_br" -gt 0 ]; then find_br=$((find_br + loader_br)); fi
for f in "$public"/assets/*.wasm "$public"/assets/*.js "$public"/assets/*.css; do
  [ -f "$f" ] || continue
  case "$(basename "$f")" in quire-find-*) continue;; esac
  raw=$(stat -c %s "$f")
  br=$(brotli -c -q 11 "$f" | wc -c)
  printf '%-48s %10d %10d\n' "$(basename "$f")" "$raw" "$br"
  case "$f" in *.wasm|*.js) total_raw=$((total_raw + raw)); total_br=$((total_br + br));; esac
done
printf '%-48s %10d %10d\n' "wasm + js total" "$total_raw" "$total_br"
BUDGET=150000
if [ "$total_br" -eq 0 ]; then
  echo "client-size: no wasm or JS in $public/assets" >&2; exit 1
fi
if [ "$total_br" -gt "$BUDGET" ]; then
  echo "client-size: the client is $total_br B brotli, over the budget of $BUDGET B" >&2; exit 1
fi
FIND_BUDGET=120000
if [ "$find_br" -eq 0 ]; then
  echo "client-size: no search module (quire-find-*.wasm) in $public/assets: scripts/find-module.sh builds it" >&2; exit 1
fi
if [ "$find_br" -gt "$FIND_BUDGET" ]; then
  echo "client-size: the largest search module and its loader are $find_br B brotli, over their budget of $FIND_BUDGET B" >&2; exit 1
fi
