#!/usr/bin/env bash
# The mirror's benchmark: builds (or reuses) a mirror of synthetic papers, times topic-style
# queries at each sort, then serves it with the real server and measures distinct-query
# throughput with wrk and the server's peak memory. Loopback only; nothing asks arXiv.
#
# Usage: server/bench-mirror.sh [DIR] [PAPERS]   (defaults: target/mirror-bench, 200000)
set -euo pipefail
cd "$(dirname "$0")/.."
DIR=${1:-target/mirror-bench}
PAPERS=${2:-200000}
cargo build --profile server -p daily-papers-server --example mirror_bench --bin daily-papers-server
target/server/examples/mirror_bench "$DIR" "$PAPERS"

# Serve it: the OAI upstream is a closed local port, so the harvester only logs its failures.
target/server/daily-papers-server --listen 127.0.0.1:0 --mirror "$DIR" \
  --upstream http://127.0.0.1:9/api/query --oai-upstream http://127.0.0.1:9/oai \
  --spacing-ms 3000 --log-level error > "$DIR.server.out" &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 100); do
  grep -q listening "$DIR.server.out" 2>/dev/null && break
  sleep 0.1
done
ADDR=$(sed -n 's/.*http:\/\///p' "$DIR.server.out" | head -1)
echo "server: $ADDR (pid $SERVER)"
echo "rss before load: $(grep VmRSS /proc/$SERVER/status | awk '{print $2/1024 " MiB"}')"

# Every request a different query (the list the bench wrote), so no cache helps. One wrk thread
# (WRK_THREADS to change it) sends far more than the server answers; a second one only takes a
# share of the two cores the server needs.
cat > "$DIR.wrk.lua" <<LUA
local queries = {}
for line in io.lines("$DIR/bench-queries.txt") do queries[#queries + 1] = line end
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", queries[(n % #queries) + 1])
end
LUA
# The server's CPU time per answer (utime + stime from /proc, in clock ticks): on a shared
# machine wrk's rate is what the cores had to spare; this says what two idle cores would serve.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$SERVER/stat"; }
echo "load before wrk: $(cut -d' ' -f1-3 /proc/loadavg)"
TICKS_BEFORE=$(cpu_ticks)
wrk -t"${WRK_THREADS:-1}" -c16 -d20s -s "$DIR.wrk.lua" "http://$ADDR" | tee "$DIR.wrk.out" | sed 's/^/wrk: /'
TICKS=$(( $(cpu_ticks) - TICKS_BEFORE ))
echo "load after wrk: $(cut -d' ' -f1-3 /proc/loadavg)"
REQUESTS=$(awk '/requests in/ {print $1}' "$DIR.wrk.out")
awk -v ticks="$TICKS" -v hz="$(getconf CLK_TCK)" -v n="$REQUESTS" -v cores="$(nproc)" 'BEGIN {
  ms = ticks * 1000 / hz / n
  printf "server CPU per answer: %.2f ms (%d requests); %d idle cores would serve about %.0f/s\n", ms, n, cores, cores * 1000 / ms
}'
echo "peak rss while serving: $(grep VmHWM /proc/$SERVER/status | awk '{print $2/1024 " MiB"}')"
curl -s "http://$ADDR/api/mirror"; echo
