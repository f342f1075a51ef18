#!/usr/bin/env bash
# Runs every benchmark in bench/ and prints one JSON object per line: the C++ benchmarks, then the
# load tests with wrk (one server; replicas behind nginx).
# usage: scripts/bench.sh BUILD_DIR
set -euo pipefail
build=${1:-build}
for b in "$build"/*_bench; do
  [ -x "$b" ] || continue
  "$b"
done
here=$(cd "$(dirname "$0")/.." && pwd)
"$here/bench/serve_load.sh" "$build"
"$here/bench/cluster_load.sh" "$build"
