#!/usr/bin/env bash
# Every test suite, in the order a failure is cheapest to find. Called by `make test` (and CI).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"
export CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}"

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "lint: clippy -D warnings (native workspace, the browser build, the benchmark hooks)"
cargo clippy --workspace --all-targets -- -D warnings
cargo clippy --target wasm32-unknown-unknown --lib --bins --tests -- -D warnings
# The benchmark's hooks (their own workspace, built by `make bench`) call into the app's library:
# checked here too, so a change that breaks `make bench` fails `make test` as well. The same
# dependency versions as the app, as bench.mjs does.
cp Cargo.lock tests/bench/hooks/Cargo.lock
CARGO_TARGET_DIR="$PWD/target" cargo clippy --manifest-path tests/bench/hooks/Cargo.toml \
    --target wasm32-unknown-unknown -- -D warnings

step "native: core and server (cargo test --workspace)"
cargo test --workspace

# ---- browser unit tests (src/browser/local_storage.rs, src/browser/clipboard.rs) ---------------------------------------
# The storage and clipboard adapters in headless Chromium: wasm-bindgen-test-runner drives it
# through chromedriver; webdriver.json (read from the repository root) grants the test page the
# clipboard permission and passes the quiet-Chromium flags.
step "browser unit tests: storage and clipboard adapters (cargo test --target wasm32-unknown-unknown --lib)"
cargo test --target wasm32-unknown-unknown --lib

# ---- server load test (server/loadtest.sh) ------------------------------------------------------
# The release server on loopback in front of a fake arXiv: 200 concurrent clients for 10 s on a
# cached query; fails on any non-2xx answer, socket error, or upstream call beyond the first.
step "server load test: wrk -t2 -c200 -d10s on a cached /api/query (server/loadtest.sh)"
server/loadtest.sh 10s

# ---- end-to-end (tests/e2e/) ---------------------------------------------------------------------
# The release app in real headless Chromium against a fake arXiv on 127.0.0.1, the project's
# server in front of it, and the gzipped size budget. Builds dist/ unless it is newer than the
# sources, and the server binary the server test starts.
step "end-to-end: release build, server binary, headless Chromium (node --test tests/e2e/)"
if [ ! -f dist/index.html ] || [ -n "$(find src core/src core/Cargo.toml style index.html Cargo.toml Cargo.lock Trunk.toml -newer dist/index.html -print -quit 2>/dev/null)" ]; then
    trunk build --release
fi
cargo build --profile server -p daily-papers-server
node --test --test-concurrency=2 --test-reporter=spec tests/e2e/
