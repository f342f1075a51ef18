#!/usr/bin/env bash
# Runs every benchmark in bench/ and prints one JSON object per line.
# usage: scripts/bench.sh BUILD_DIR
set -euo pipefail
build=${1:-build}
for b in "$build"/*_bench; do
  [ -x "$b" ] || continue
  "$b"
done
