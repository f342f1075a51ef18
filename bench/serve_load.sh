#!/usr/bin/env bash
# Load on `clearance serve` with wrk (Debian's): the evaluation lists imported, recording on
# (SQLite), POST /v1/screen with varied names from ../shared/eval/screening-dev.csv.
#   1. baseline: GET /healthz at 256 keep-alive connections (the transport alone, same run)
#   2. throughput: /v1/screen at 256 keep-alive connections   (target >= 8,000 requests/s)
#   3. latency: /v1/screen at 32 connections                    (target p99 < 20 ms)
#   4. the same throughput run on a server that records nothing (`--no-record`): the record's cost
#   5. ceiling: the same queries screened in process (`screen --input`, no HTTP, no record), the
#      time of a one-row run (loading the lists) taken off
#   6. the audit trail: one record per 2xx answer (answers wrk did not wait for may add at most
#      one record per connection), and `audit verify`
# Prints one JSON object a line. usage: bench/serve_load.sh BUILD_DIR [SECONDS]
set -euo pipefail
build=${1:-build}
secs=${2:-10}
cl=$(cd "$build" && pwd)/clearance
here=$(cd "$(dirname "$0")" && pwd)
shared=$here/../../shared
data=$shared/data
queries=$shared/eval/screening-dev.csv
if [ ! -f "$queries" ] || ! command -v wrk >/dev/null; then
  echo '{"bench": "serve_load", "skipped": "needs wrk (apt-get install wrk) and ../shared/eval/screening-dev.csv"}'
  exit 0
fi
home=$(mktemp -d)
pid=
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  rm -rf "$home"
}
trap cleanup EXIT
"$cl" --home "$home" --no-record lists import "$data/us/csl/consolidated-2026-07-converted.csv" >/dev/null 2>&1
"$cl" --home "$home" --no-record lists import "$data/us/ofac/sdn-2021-07/sdn.csv" "$data/us/ofac/sdn-2021-07/alt.csv" \
  "$data/us/ofac/sdn-2021-07/add.csv" >/dev/null 2>&1
"$cl" --home "$home" --no-record lists import "$data"/cn/*.ftm.json >/dev/null 2>&1
key=$("$cl" --home "$home" keys create --name bench --role analyst 2>/dev/null)
# Request bodies: name, type and country of every query.
python3 "$here/eval_bodies.py" "$queries" "$home/bodies.jsonl"
rows=$(wc -l <"$home/bodies.jsonl")

serve() {  # extra options…
  rm -f "$home/port"
  "$cl" --home "$home" "$@" serve --listen 127.0.0.1:0 --port-file "$home/port" --log "$home/server.log" \
    --log-level warn --rate-limit 0 --threads 2 &
  pid=$!
  for _ in $(seq 600); do [ -s "$home/port" ] && break; sleep 0.1; done
  url=http://127.0.0.1:$(cat "$home/port")
}
stop() {
  kill -TERM "$pid"
  wait "$pid" || true
  pid=
}
run() {  # name connections [bodies]
  local out
  out=$(BODIES=${3:-} KEY=$key wrk -t2 -c"$2" -d"${secs}s" --latency -s "$here/serve_load.lua" "$url" | tail -1)
  echo "{\"bench\": \"serve_load\", \"run\": \"$1\", \"connections\": $2, \"result\": $out}"
}
serve
base=$(run healthz_baseline 256)
echo "$base"
thr=$(run screen_throughput 256 "$home/bodies.jsonl")
echo "$thr"
lat=$(run screen_latency 32 "$home/bodies.jsonl")
echo "$lat"
stop
records=$("$cl" --home "$home" audit export --action screen | wc -l)
serve --no-record
norec=$(run screen_throughput_no_record 256 "$home/bodies.jsonl")
echo "$norec"
stop

# The in-process ceiling: the same queries through the library's batch pipeline, less the time of
# a one-row run (starting, loading the lists).
head -2 "$queries" >"$home/one.csv"
t0=$(date +%s.%N)
"$cl" --home "$home" --no-record screen --input "$home/one.csv" --format jsonl --output "$home/one.jsonl" 2>/dev/null
t1=$(date +%s.%N)
"$cl" --home "$home" --no-record screen --input "$queries" --format jsonl --output "$home/inproc.jsonl" 2>/dev/null
t2=$(date +%s.%N)
verify=$("$cl" --home "$home" audit verify >/dev/null 2>&1 && echo true || echo false)
python3 - "$base" "$thr" "$lat" "$norec" "$rows" "$t0" "$t1" "$t2" "$records" "$verify" <<'EOF'
import json, sys
base, thr, lat, norec = (json.loads(a)["result"] for a in sys.argv[1:5])
rows, t0, t1, t2, records = int(sys.argv[5]), float(sys.argv[6]), float(sys.argv[7]), float(sys.argv[8]), int(sys.argv[9])
inproc = (rows - 1) / max(1e-9, (t2 - t1) - (t1 - t0))
ok = sum(r["requests"] - r["errors"]["status"] for r in (thr, lat))
errors = sum(sum(r["errors"].values()) for r in (base, thr, lat, norec))
print(json.dumps({
    "bench": "serve_load", "summary": True,
    "screen_requests_per_s": thr["requests_per_s"], "target_requests_per_s": 8000,
    "screen_p99_ms_at_32": lat["p99_ms"], "target_p99_ms": 20,
    "healthz_requests_per_s": base["requests_per_s"],
    "screen_no_record_requests_per_s": norec["requests_per_s"],
    "record_cost": round(1 - thr["requests_per_s"] / norec["requests_per_s"], 3),
    "screen_vs_healthz": round(thr["requests_per_s"] / base["requests_per_s"], 3),
    "in_process_screen_rows_per_s": round(inproc, 1),
    "screen_vs_in_process": round(thr["requests_per_s"] / inproc, 3),
    "errors": errors, "answered_2xx": ok, "audit_screen_records": records,
    "records_per_2xx_ok": ok <= records <= ok + 256 + 32, "audit_verify": sys.argv[10] == "true"}))
EOF
