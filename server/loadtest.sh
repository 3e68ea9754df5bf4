#!/usr/bin/env bash
# Load test of the release server on loopback: 200 concurrent clients for 10 s on a cached query
# (uncompressed), then 5 s more asking for compression as browsers do.
# Starts a fake arXiv (examples/fake_arxiv.rs) and the server, warms the cache with one request,
# then runs wrk. Fails on any non-2xx answer, any socket error, or any extra upstream call.
# Usage: server/loadtest.sh [DURATION] (of the first run; default 10s). Needs wrk and curl.
set -euo pipefail
cd "$(dirname "$0")/.."
duration="${1:-10s}"
target="${CARGO_TARGET_DIR:-$PWD/target}"
work="$(mktemp -d)"
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

command -v wrk >/dev/null || { echo "loadtest: wrk is not installed" >&2; exit 1; }

cargo build --quiet --profile server -p daily-papers-server --bin daily-papers-server --example fake_arxiv

# Waits for "listening on http://ADDR" in a log file and prints ADDR.
address_in() {
    for _ in $(seq 1 100); do
        if address="$(grep -o 'listening on http://[0-9.:]*' "$1" | head -n1 | sed 's|.*http://||')" && [ -n "$address" ]; then
            echo "$address"
            return 0
        fi
        sleep 0.1
    done
    echo "loadtest: no address in $1:" >&2
    cat "$1" >&2
    return 1
}

"$target/server/examples/fake_arxiv" 127.0.0.1:0 >"$work/fake.log" 2>&1 &
pids+=($!)
fake="$(address_in "$work/fake.log")"

"$target/server/daily-papers-server" --listen 127.0.0.1:0 --upstream "http://$fake/api/query" \
    --spacing-ms 0 --log-level warn >"$work/server.log" 2>&1 &
pids+=($!)
server="$(address_in "$work/server.log")"

url="http://$server/api/query?search_query=ti%3A%22testing%22&sortBy=lastUpdatedDate&sortOrder=descending&max_results=100"
warm="$(curl -s -o /dev/null -D - "$url" | tr -d '\r' | grep -i '^x-cache:' || true)"
[ "$warm" = "x-cache: MISS" ] || { echo "loadtest: warming answered '$warm', expected x-cache: MISS" >&2; exit 1; }
hit="$(curl -s -o /dev/null -D - "$url" | tr -d '\r' | grep -i '^x-cache:' || true)"
[ "$hit" = "x-cache: HIT" ] || { echo "loadtest: second request answered '$hit', expected x-cache: HIT" >&2; exit 1; }

failed=0
# Runs wrk with 200 connections; fails the test on any non-2xx answer or socket error.
load() {
    local name="$1" seconds="$2" accept="$3" out="$work/wrk-$1.txt"
    echo
    echo "== $name: wrk -t2 -c200 -d$seconds --latency -H 'Accept-Encoding: $accept' '$url'"
    wrk -t2 -c200 -d"$seconds" --latency -H "Accept-Encoding: $accept" "$url" | tee "$out"
    if grep -q 'Non-2xx or 3xx responses' "$out"; then
        echo "loadtest: FAILED ($name): $(grep 'Non-2xx' "$out")" >&2
        failed=1
    fi
    if grep -q 'Socket errors' "$out"; then
        echo "loadtest: FAILED ($name): $(grep 'Socket errors' "$out")" >&2
        failed=1
    fi
    local requests
    requests="$(awk '/requests in/ {print $1}' "$out")"
    if [ -z "$requests" ] || [ "$requests" -lt 1000 ]; then
        echo "loadtest: FAILED ($name): only '${requests:-no}' requests completed" >&2
        failed=1
    fi
    summary+=("$name: $requests requests, $(awk '/Requests\/sec/ {print $2}' "$out") req/s, latency p50 $(awk '$1 == "50%" {print $2}' "$out"), p99 $(awk '$1 == "99%" {print $2}' "$out")")
}
summary=()
# Uncompressed, as the issue's figure; then as browsers ask (the cached brotli copy is sent).
load "identity" "$duration" "identity"
load "browser-like" "5s" "gzip, deflate, br"

calls="$(curl -s "http://$fake/calls")"
if [ "$calls" != "1" ]; then
    echo "loadtest: FAILED: the fake arXiv was called $calls times, expected once (the cache did not hold)" >&2
    failed=1
fi
echo
printf 'loadtest: %s\n' "${summary[@]}"
[ "$failed" = 0 ] || exit 1
echo "loadtest: OK: 0 errors, 1 upstream call"
