# Quire: `make run` serves the blog, `make test` runs every test.
# Both install what is missing first (scripts/setup.sh), then build.

SHELL := /bin/bash
export PATH := $(CURDIR)/.tools/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)
# dx must not reach GitHub: it uses wasm-bindgen, wasm-opt and esbuild from PATH.
export NO_DOWNLOADS := 1
export DX_TELEMETRY_ENABLED := false
# A clean CI checkout gains nothing from incremental caches, which cost
# ~600 MB of disk.
ifdef CI
export CARGO_INCREMENTAL := 0
endif

DX_OUT := target/dx/quire/release/web
BIN := dist/quire

.PHONY: run test setup build client-size lint unit browser browser-selftest shape layers bench audit load adversary fuzz clean

## Builds only when dist/quire is missing or was built from other sources
## (its stamp, scripts/fresh-binary.sh): a second `make run`, or one after
## `make test`, serves at once.
run:
	@scripts/setup.sh
	@scripts/fresh-binary.sh $(BIN) 2>/dev/null || { echo "make run: $(BIN) is missing or was built from other sources: building it"; $(MAKE) build; }
	$(BIN) serve --content content --config demo/quire.toml

test: setup build lint browser unit

setup:
	@scripts/setup.sh --browser

## The single binary: dx builds the server and the wasm client (without
## DWARF sections, which dx keeps by default: 270 KB of the raw wasm), the
## client's import names are shortened (scripts/minify-imports.py, ~4 KB
## brotli), the static-host search module is added (scripts/find-module.sh), then the server packs the client bundle and the demo content
## into dist/quire.
## dist/quire.stamp records the sources it was built from: browser, bench
## and audit refuse a binary whose stamp does not match (scripts/fresh-binary.sh).
build:
	@scripts/setup.sh
	@scripts/fresh-binary.sh --begin $(BIN)
	rm -rf $(DX_OUT)/public
	dx build --web --release --fullstack --debug-symbols false
	scripts/minify-imports.py $(DX_OUT)/public
	scripts/find-module.sh $(DX_OUT)/public
	@mkdir -p dist
	$(DX_OUT)/server pack --public $(DX_OUT)/public --content content --demo demo --out $(BIN)
	@scripts/fresh-binary.sh --stamp $(BIN)
	@scripts/client-size.sh $(DX_OUT)/public
# A clean CI checkout never rebuilds: drop the release intermediates
# (~2 GB) before the debug builds of lint and unit fill the disk further.
ifdef CI
	rm -rf target/x86_64-unknown-linux-gnu target/server-release target/wasm-release target/wasm32-unknown-unknown/wasm-release
endif

lint: layers shape
	cargo fmt --all -- --check
	cargo clippy --features server --all-targets -- -D warnings
	cargo clippy --features web --target wasm32-unknown-unknown -- -D warnings
	cargo clippy -p quire-find --all-targets -- -D warnings
	cargo clippy -p quire-find --features abi --target wasm32-unknown-unknown -- -D warnings
	cargo clippy -p quire-find --no-default-features --features abi --target wasm32-unknown-unknown -- -D warnings

## Refuses a stale dist/quire (another path given to run.mjs is used as is).
browser:
	node tests/browser/run.mjs $(BIN)

## The browser harness's own checks, each shown able to fail: canaries that
## must fail by a timeout, a CSP violation, a panic or ERROR in the server
## log, a stale binary (about 10 s; any binary will do).
browser-selftest:
	node tests/browser/run.mjs $(BIN) --self-test

## Every crate of the workspace: quire (with its server) and crates/quire-find.
unit:
	cargo nextest run --workspace --features quire/server --no-fail-fast

## Function lengths (p90 <= 30 lines) and file lengths (<= 500 lines) in
## src/, test modules left out; `scripts/code-shape.py --report` only prints.
## Not part of `make test` yet.
shape:
	scripts/code-shape.py

## src/'s top-level modules depend only downwards (order in scripts/layers.py).
layers:
	scripts/layers.py

## Every performance figure in one run (docs/BENCHMARKS.md). Benchmarks
## dist/quire, or QUIRE_BIN=path; needs wrk, nginx, hugo, brotli.
bench:
	bench/run.sh

## Lighthouse scores, page/client sizes and the search box's keystroke-to-
## results time (needs `make build` first).
audit:
	scripts/audit.sh $(BIN)

## wrk, 256 connections for 60 s over pages, search, feeds and assets;
## fails on socket errors or non-2xx/3xx answers (docs/SECURITY.md).
load:
	scripts/load.sh $(BIN)

## Every attack docs/SECURITY.md lists, against dist/quire on 127.0.0.1,
## one verdict line each; exits 1 on any failure (the disk-full and
## read-only attacks mount a tmpfs: run as root).
adversary:
	scripts/adversary.py $(BIN)

## libFuzzer on the front matter, Markdown, search query and routing
## parsers, 60 s each (nightly; installs cargo-fuzz if missing). Not part of
## `make test`, which replays fuzz/corpus/ on stable (tests/fuzz_corpus.rs).
## FUZZ_SECONDS=300 make fuzz for longer runs.
fuzz:
	scripts/fuzz.sh $(or $(FUZZ_SECONDS),60)

clean:
	rm -rf dist target/dx
