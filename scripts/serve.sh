#!/usr/bin/env bash
# `make serve`: the app with live reload at http://127.0.0.1:8080, its /api/query answered by the
# project's own server on 127.0.0.1:8081 (Trunk.toml proxies to it), so development traffic to
# arXiv goes through the same limiter and cache as production: one request at a time, 3 s apart.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"

API_ADDR=127.0.0.1:8081
cargo build --profile server -p daily-papers-server
target/server/daily-papers-server --listen "$API_ADDR" --log-level warn &
server=$!
trap 'kill "$server" 2>/dev/null || true' EXIT INT TERM
trunk serve
