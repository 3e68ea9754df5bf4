#!/usr/bin/env bash
# Every test suite, in the order a failure is cheapest to find. Called by `make test`.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"
export CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}"

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "native: core and server (cargo test)"
cargo test --workspace

