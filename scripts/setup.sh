#!/usr/bin/env bash
# Installs what building and testing Quire needs, skipping what is already there.
# Idempotent; safe to run on every `make run` / `make test`.
#   - a C compiler (Oniguruma), nasm (rav1e's assembly, for AVIF image
#     copies) and the brotli CLI (client size budget)
#   - systemd-analyze (scripts/check-unit.sh scores deploy/quire.service)
#   - wasm32-unknown-unknown std (rustup, or Debian's rust-web packages as a fallback)
#   - dx (dioxus-cli) at the version of the dioxus crate
#   - wasm-bindgen-cli at the exact version in Cargo.lock
#   - wasm-opt (npm binaryen), esbuild, playwright-core, axe-core and vnu-jar
#     (the Nu Html Checker) in ./.tools (git-ignored)
#   - cargo-nextest, Debian chromium for the browser tests, Python's
#     feedparser and jsonschema for the feed tests, Java for the Nu checker
#     and nginx for the front-config test, pebble for the ACME tests
#     (with --browser)
#   - with --bench only: what the benchmarks run (make bench): nginx, wrk,
#     hugo, brotli, h2load and Caddy
set -euo pipefail
cd "$(dirname "$0")/.."

DX_VERSION=0.7.10
BINARYEN_VERSION=132.0.0
ESBUILD_VERSION=0.27.3
PLAYWRIGHT_VERSION=1.65.1
AXE_VERSION=4.14.1
VNU_VERSION=26.9.27
TOOLS="$PWD/.tools"
WANT_BROWSER=0
[ "${1:-}" = "--browser" ] && WANT_BROWSER=1

say() { printf '\033[1msetup:\033[0m %s\n' "$*" >&2; }
have() { command -v "$1" >/dev/null 2>&1; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

apt_install() {
  say "installing Debian packages: $*"
  as_root apt-get install -y --no-install-recommends "$@" >/dev/null 2>&1 ||
    { as_root apt-get update >/dev/null 2>&1 && as_root apt-get install -y --no-install-recommends "$@" >/dev/null; }
}

# onig_sys compiles Oniguruma (syntax highlighting) from its C source.
ensure_c_compiler() {
  have cc && return
  apt_install gcc libc6-dev
}

# rav1e (AVIF copies of posts' images) assembles its SIMD code with nasm
# (image's `nasm` feature, Cargo.toml): twice as fast as its Rust fallback.
ensure_nasm() {
  have nasm && return
  apt_install nasm
}

# scripts/client-size.sh measures the client with the brotli CLI.
ensure_brotli() {
  have brotli && return
  apt_install brotli
}

# scripts/check-unit.sh (tests/deploy.rs) scores deploy/quire.service
# with `systemd-analyze security --offline`, which needs systemd 252.
ensure_systemd_analyze() {
  have systemd-analyze && return
  apt_install systemd
}

ensure_wasm_target() {
  local sysroot; sysroot="$(rustc --print sysroot)"
  [ -d "$sysroot/lib/rustlib/wasm32-unknown-unknown/lib" ] && return
  say "adding the wasm32-unknown-unknown target"
  if have rustup && rustup target add wasm32-unknown-unknown >&2; then return; fi
  say "rustup could not download it; falling back to Debian's rustc-web (see DESIGN notes)"
  apt_install rustc-web cargo-web rust-web-src lld-22
  echo "error: Debian rustc-web installed; put /usr/bin first on PATH and rerun" >&2
  exit 1
}

ensure_dx() {
  if have dx && dx --version 2>/dev/null | grep -q "$DX_VERSION"; then return; fi
  say "building dx $DX_VERSION from crates.io (about 20 minutes on 2 cores, once)"
  cargo install dioxus-cli@"$DX_VERSION" --locked >&2
}

ensure_wasm_bindgen() {
  local want; want="$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/"/,"",$3); print $3; exit}' Cargo.lock)"
  if have wasm-bindgen && [ "$(wasm-bindgen --version | awk '{print $2}')" = "$want" ]; then return; fi
  say "building wasm-bindgen-cli $want (must equal the wasm-bindgen crate in Cargo.lock)"
  cargo install wasm-bindgen-cli@"$want" --force >&2
}

ensure_npm_tools() {
  local bin="$TOOLS/node_modules/.bin"
  if [ -x "$bin/wasm-opt" ] && [ -x "$bin/esbuild" ] && [ -d "$TOOLS/node_modules/playwright-core" ] &&
     [ -d "$TOOLS/node_modules/axe-core" ] && [ -f "$TOOLS/node_modules/vnu-jar/build/dist/vnu.jar" ] &&
     grep -q "\"version\": \"$ESBUILD_VERSION\"" "$TOOLS/node_modules/esbuild/package.json" 2>/dev/null; then return; fi
  say "installing wasm-opt (binaryen@$BINARYEN_VERSION), esbuild@$ESBUILD_VERSION, playwright-core@$PLAYWRIGHT_VERSION into .tools/"
  mkdir -p "$TOOLS"
  [ -f "$TOOLS/package.json" ] || echo '{"name":"quire-tools","private":true}' > "$TOOLS/package.json"
  npm install --prefix "$TOOLS" --no-audit --no-fund --loglevel=error \
    "binaryen@$BINARYEN_VERSION" "esbuild@$ESBUILD_VERSION" "playwright-core@$PLAYWRIGHT_VERSION" \
    "axe-core@$AXE_VERSION" "vnu-jar@$VNU_VERSION" >&2
}

ensure_nextest() {
  have cargo-nextest && return
  say "installing cargo-nextest"
  cargo install cargo-nextest --locked >&2
}

# The publishing tests check every feed with Python's feedparser and the
# JSON Feed against its schema with jsonschema, using the first of `python3`
# and /usr/bin/python3 that has both.
ensure_python_feed_tools() {
  local py
  for py in python3 /usr/bin/python3; do
    "$py" -c 'import feedparser, jsonschema' 2>/dev/null && return
  done
  apt_install python3-feedparser python3-jsonschema
}

ensure_chromium() {
  have chromium || apt_install chromium
  # Chinese and Japanese glyphs for the screenshots of the multilingual
  # fixture (5 MB; without it they show as empty boxes).
  [ -f /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ] || apt_install fonts-wqy-microhei
}

# tests/cache.rs checks the nginx front config of docs/DEPLOY.md.
ensure_nginx() {
  [ -x /usr/sbin/nginx ] && return
  apt_install nginx-light || apt_install nginx
}

# tests/acme.rs gets certificates from Debian's pebble (Let's Encrypt's
# test CA); a missing pebble fails those tests.
ensure_pebble() {
  [ -x /usr/bin/pebble ] && return
  apt_install pebble
}

# bench/tls.sh: HTTP/2 and HTTPS load (h2load) and Caddy, one of its rivals.
ensure_h2load() {
  have h2load && return
  apt_install nghttp2-client
}
ensure_caddy() {
  have caddy && return
  apt_install caddy
}

# The Nu Html Checker (vnu.jar) runs on Java.
ensure_java() {
  have java && return
  apt_install default-jre-headless
}

# The benchmarks' load generator and the static generator they race.
ensure_bench_tools() {
  have wrk || apt_install wrk
  have hugo || apt_install hugo
  have curl || apt_install curl
}

# --bench: only what the benchmarks need (bench/run.sh and bench/tls.sh call
# this when a tool is missing).
if [ "${1:-}" = "--bench" ]; then
  ensure_nginx
  ensure_brotli
  ensure_bench_tools
  ensure_h2load
  ensure_caddy
  say "bench tools ready"
  exit 0
fi
ensure_c_compiler
ensure_nasm
ensure_brotli
ensure_systemd_analyze
ensure_wasm_target
ensure_dx
ensure_wasm_bindgen
ensure_npm_tools
if [ "$WANT_BROWSER" = 1 ]; then
  ensure_nextest
  ensure_python_feed_tools
  ensure_chromium
  ensure_java
  ensure_nginx
  ensure_pebble
fi
say "tools ready"
