#!/usr/bin/env bash
# Throughput through nginx with 1, 2 and 3 `clearance serve` replicas on one PostgreSQL store, in
# one run (scripts/cluster.sh), against a baseline measured in the same run: the single replica
# called directly, without nginx. On this 2-core machine more replicas cannot add throughput; the
# figures show what the proxy and the shared store cost. Recording is on (every answer is a
# PostgreSQL audit record, fsync on). POST /v1/screen with the evaluation queries at 64 connections.
# Prints one JSON object a line. usage: bench/cluster_load.sh BUILD_DIR [SECONDS]
set -euo pipefail
build=${1:-build}
secs=${2:-10}
cl=$(cd "$build" && pwd)/clearance
here=$(cd "$(dirname "$0")" && pwd)
data=$here/../../shared/data
queries=$here/../../shared/eval/screening-dev.csv
if [ ! -f "$queries" ] || ! command -v wrk >/dev/null || ! command -v nginx >/dev/null && [ ! -x /usr/sbin/nginx ]; then
  echo '{"bench": "cluster_load", "skipped": "needs wrk, nginx-light (make deps) and ../shared/eval/screening-dev.csv"}'
  exit 0
fi
bodies=$(mktemp)
trap 'rm -f "$bodies"' EXIT
python3 "$here/eval_bodies.py" "$queries" "$bodies"
export BODIES=$bodies CLUSTER_SERVE_OPTIONS="--rate-limit 0 --log-level warn --threads 2"
sdn=$data/us/ofac/sdn-2021-07
for replicas in 1 2 3; do
  CLUSTER_BENCH_SECS=$secs "$here/../scripts/cluster.sh" --bin "$cl" --replicas "$replicas" \
    --import "$data/us/csl/consolidated-2026-07-converted.csv" --import "$sdn/sdn.csv $sdn/alt.csv $sdn/add.csv" \
    --import "$(echo "$data"/cn/*.ftm.json)" -- bash -c '
      run() {  # label url
        KEY=$CLUSTER_KEY wrk -t2 -c64 -d"${CLUSTER_BENCH_SECS}s" --timeout 10s -s "'"$here"'/serve_load.lua" "$2" |
          grep "^{" | sed "s/^{/{\"bench\": \"cluster_load\", \"path\": \"$1\", \"replicas\": $CLUSTER_REPLICAS, /"
      }
      if [ "$CLUSTER_REPLICAS" = 1 ]; then run direct "http://127.0.0.1:$(cat "$CLUSTER_DIR/replica-1.port")"; fi
      run nginx "$CLUSTER_URL"
      "$CLEARANCE_BIN" --home "$CLUSTER_DIR/home" --store "$CLUSTER_PG_URL" audit verify >/dev/null ||
        echo "{\"bench\": \"cluster_load\", \"replicas\": $CLUSTER_REPLICAS, \"error\": \"audit verify failed\"}"' |
    grep '^{'
done
