#!/usr/bin/env bash
# Prints the client's size: wasm, JS and CSS, raw and brotli (quality 11),
# and fails (exit 1) when the wasm and JS together are over the budget of
# 150,000 B brotli (docs/BUDGETS.md), so `make build` and `make test` fail.
set -euo pipefail
public="${1:?usage: client-size.sh PUBLIC_DIR}"
total_raw=0; total_br=0
printf '%-48s %10s %10s\n' "client file" "raw B" "brotli B"
for f in "$public"/assets/*.wasm "$public"/assets/*.js "$public"/assets/*.css; do
  [ -f "$f" ] || continue
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
