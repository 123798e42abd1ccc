#!/bin/bash
# A/B comparison that a busy machine does not blur: the server's own CPU time per request
# (utime+stime from /proc), not requests per second. Starts `node dist/main.js` of TREE (run
# `npm run build` there first) on a fresh SQLite file, creates one session, sends WARM then N
# requests of BODY_FILE (its SESSION replaced by the session's id; an empty file sends no body) to
# PATH with autocannon at 50 connections.
#   bench/ab/cpu-per-request.sh TREE PATH BODY_FILE [N]
# e.g. bench/ab/cpu-per-request.sh /work/wt/base /storage/metrics bench/ab/metric.json
set -euo pipefail
tree=$(cd "$1" && pwd); path=$2; body_file=$(cd "$(dirname "$3")" && pwd)/$(basename "$3"); n=${4:-20000}
autocannon=$(cd "$(dirname "$0")/../.." && pwd)/node_modules/.bin/autocannon
work=$(mktemp -d); port=$((20000 + RANDOM % 10000))
trap 'kill $pid 2>/dev/null || true; rm -rf "$work"' EXIT
cd "$tree"
NODE_ENV=production LOG_LEVEL=warn PORT=$port HOST=127.0.0.1 DATABASE_URL="sqlite:$work/db.sqlite" node dist/main.js >"$work/log" 2>&1 &
pid=$!
until curl -fs -o /dev/null "localhost:$port/health"; do sleep 0.05; done
sid=$(curl -fs -XPOST "localhost:$port/storage/sessions" -H 'content-type: application/json' -d '{"agent_name":"ab"}' | sed -E 's/.*"id":"([^"]+)".*/\1/')
sed "s/SESSION/$sid/" "$body_file" >"$work/body"
load() { "$autocannon" -a "$1" -c 50 -m POST -H content-type=application/json -i "$work/body" "http://127.0.0.1:$port$path" 2>&1; }
load 2000 >/dev/null
before=$(awk '{print $14 + $15}' "/proc/$pid/stat")
summary=$(load "$n" | grep -E 'requests in|2xx' | tr '\n' ' ')
after=$(awk '{print $14 + $15}' "/proc/$pid/stat")
ticks=$(getconf CLK_TCK)
echo "$tree $path cpu_ms_per_request=$(echo "scale=4; ($after - $before) * 1000 / $ticks / $n" | bc) $summary"
