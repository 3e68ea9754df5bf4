#!/usr/bin/env bash
# Installs what building, serving and testing the app need, and only what is missing, so that
# `make serve` and `make test` work on a machine that has just Rust, node/npm, Python and apt.
# Usage: scripts/setup.sh app    # wasm target, Trunk, wasm-bindgen CLI, wasm-opt
#        scripts/setup.sh test   # the above, plus Chromium, chromedriver and wrk
set -euo pipefail
cd "$(dirname "$0")/.."

TRUNK_VERSION=0.21.14   # 0.22 needs a newer rustc than the project's 1.95
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"

say() { printf '\033[1msetup:\033[0m %s\n' "$*"; }

# The wasm-bindgen CLI must be exactly the version Cargo.lock pins, or the generated JS and the
# wasm module disagree at start-up.
wasm_bindgen_version() {
    awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock
}

setup_app() {
    if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
        say "adding the wasm32-unknown-unknown target"
        rustup target add wasm32-unknown-unknown
    fi
    if [ "$(trunk --version 2>/dev/null)" != "trunk $TRUNK_VERSION" ]; then
        say "installing Trunk $TRUNK_VERSION (a few minutes, once)"
        cargo install trunk --version "$TRUNK_VERSION" --locked
    fi
    [ -f Cargo.lock ] || cargo generate-lockfile
    local wb
    wb=$(wasm_bindgen_version)
    if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $wb" ]; then
        say "installing wasm-bindgen-cli $wb (a couple of minutes, once)"
        # Not --locked: the locked dependency set names a patch release the registry may lack.
        cargo install wasm-bindgen-cli --version "$wb" --force
    fi
    # wasm-opt from binaryen 132 (npm); Debian's binaryen 108 produces a module Chromium rejects.
    if [ ! -x node_modules/.bin/wasm-opt ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
        say "installing the npm tools (binaryen, playwright-core)"
        npm ci --no-audit --no-fund
    fi
}

setup_test() {
    setup_app
    local missing=()
    [ -x /usr/bin/chromium ] || missing+=(chromium)
    [ -x /usr/bin/chromedriver ] || missing+=(chromium-driver)
    command -v wrk >/dev/null || missing+=(wrk)
    command -v curl >/dev/null || missing+=(curl)
    # The feed test reads the tool's Atom feed with a real feed parser (Python's feedparser).
    if ! python3 -c 'import feedparser' 2>/dev/null; then
        say "installing Python's feedparser (for the feed test)"
        python3 -m pip install --quiet 'feedparser==6.0.*'
    fi
    if [ ${#missing[@]} -gt 0 ]; then
        say "installing ${missing[*]} with apt"
        local sudo=""
        [ "$(id -u)" = 0 ] || sudo=sudo
        $sudo apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}"
    fi
}

case "${1:-app}" in
    app) setup_app ;;
    test) setup_test ;;
    *) echo "usage: $0 app|test" >&2; exit 2 ;;
esac
