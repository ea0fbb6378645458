#!/usr/bin/env bash
# libFuzzer over the four parsers that take outside input: front matter
# (`content::parse_document`), Markdown → HTML (both raw-HTML settings),
# search queries (`SearchIndex::terms`, `search`) and URL routing
# (`web::Route`, the redirect helpers). Each target runs for a bounded time;
# the properties are in tests/support/fuzz_checks.rs. Not part of
# `make test` (which replays fuzz/corpus/ on stable: tests/fuzz_corpus.rs).
#
# Usage: scripts/fuzz.sh [SECONDS] [TARGET...]   (default 60 s, all four)
# Needs a nightly toolchain; installs cargo-fuzz from crates.io if missing.
#
# New inputs go to fuzz/target/work/<target>/ (not checked in), seeded from
# the checked-in fuzz/corpus/<target>/; crashes land in
# fuzz/artifacts/<target>/ — fix the bug, then copy the input into
# fuzz/corpus/<target>/ so the corpus test replays it.
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
seconds="${1:-60}"
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(front_matter markdown search_query routing)

rustup run nightly rustc --version >/dev/null 2>&1 \
  || { echo "no nightly toolchain (rustup toolchain install nightly)" >&2; exit 2; }
if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "installing cargo-fuzz from crates.io" >&2
  cargo install cargo-fuzz --locked
fi

cd "$repo"
status=0
for target in "${targets[@]}"; do
  work="fuzz/target/work/$target"
  mkdir -p "$work" "fuzz/corpus/$target"
  log="fuzz/target/$target.log"
  echo "== $target: ${seconds}s" >&2
  # -max_len: front matter and Markdown bugs hide in structure, not size;
  # -timeout: one input taking 10 s is a finding (quadratic behaviour).
  if cargo +nightly fuzz run --fuzz-dir fuzz "$target" "$work" "fuzz/corpus/$target" -- \
      -max_total_time="$seconds" -max_len=4096 -timeout=10 -rss_limit_mb=2048 \
      -print_final_stats=1 2> >(tee "$log" >&2); then
    :
  else
    status=1
    echo "!! $target found a failing input: see fuzz/artifacts/$target/ and $log" >&2
  fi
  # The figures docs/SECURITY.md quotes.
  runs="$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || true)"
  rate="$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$log" | grep -o '[0-9]*$' || true)"
  cov="$(grep -o 'cov: [0-9]*' "$log" | tail -1 || true)"
  echo "== $target: ${runs:-?} runs, ${rate:-?} exec/s, ${cov:-cov ?}" >&2
done
exit "$status"
