#!/usr/bin/env bash
# Builds the search engine's wasm module (crates/quire-find, `abi`
# feature: no wasm-bindgen, no imports), shrinks it with wasm-opt and puts
# it among the client's assets as quire-find-<hash>.wasm, with its loader
# (crates/quire-find/loader.js) as quire-find-<hash>.js, where
# `quire export` names them for the static site's search box. The box
# loads them on its first focus, so they are outside the page budget;
# their own budget is checked by scripts/client-size.sh.
#     scripts/find-module.sh PUBLIC_DIR
#
# Two modules: every language's stemmer (quire-find-<hash>.wasm), and
# English's alone (quire-find-en-<hash>.wasm, a third smaller), which an
# export whose posts need no other stemmer names instead.
set -euo pipefail
public="${1:?usage: find-module.sh PUBLIC_DIR}"
built=target/wasm32-unknown-unknown/wasm-release/quire_find.wasm
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
rm -f "$public"/assets/quire-find-*
# module NAME_PREFIX CARGO_FEATURE_ARGS...
module() {
  local prefix=$1; shift
  cargo build -p quire-find --lib --target wasm32-unknown-unknown --profile wasm-release "$@"
  wasm-opt -Oz --strip-debug --strip-producers "$built" -o "$tmp"
  install -m 644 "$tmp" "$public/assets/$prefix$(sha256sum "$tmp" | cut -c1-16).wasm"
}
module quire-find- --features abi
module quire-find-en- --no-default-features --features abi
loader=crates/quire-find/loader.js
install -m 644 "$loader" "$public/assets/quire-find-$(sha256sum "$loader" | cut -c1-16).js"
