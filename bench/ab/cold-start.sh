#!/bin/bash
# Wall time (ms) from starting `node dist/main.js` of TREE on a fresh SQLite file to its first
# /health 200. Alternate two trees several times and compare medians.
#   bench/ab/cold-start.sh TREE
set -euo pipefail
tree=$(cd "$1" && pwd); work=$(mktemp -d); port=$((30000 + RANDOM % 10000))
trap 'kill $pid 2>/dev/null || true; rm -rf "$work"' EXIT
cd "$tree"
t0=$(date +%s%N)
NODE_ENV=production LOG_LEVEL=warn PORT=$port HOST=127.0.0.1 DATABASE_URL="sqlite:$work/db.sqlite" node dist/main.js >/dev/null 2>&1 &
pid=$!
until curl -fs -o /dev/null "localhost:$port/health"; do sleep 0.01; done
echo $(( ($(date +%s%N) - t0) / 1000000 ))
