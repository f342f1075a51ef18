#!/usr/bin/env bash
# A batch job of ROWS generated rows (default 1,000,000) through nginx to three `clearance serve`
# replicas on one PostgreSQL store (scripts/cluster.sh), with the store as the job queue: replica 2
# is killed with SIGKILL once a quarter of the rows are done (while it holds a chunk) and started
# again 5 s later. Baseline in the same run: a job of BASELINE_ROWS (default 200,000) with no kill.
# Checks exactly one answer and one record per row (the store's records name each row's line once),
# and that the chain verifies. Prints one JSON object a line.
# usage: bench/job_queue.sh BUILD_DIR   (env: ROWS, BASELINE_ROWS, CHUNK_ROWS, LEASE)
set -euo pipefail
build=${1:-build}
cl=$(cd "$build" && pwd)/clearance
here=$(cd "$(dirname "$0")" && pwd)
data=$here/../../shared/data
queries=$here/../../shared/eval/screening-dev.csv
if [ ! -f "$queries" ] || ! command -v psql >/dev/null || ! command -v nginx >/dev/null && [ ! -x /usr/sbin/nginx ]; then
  echo '{"bench": "job_queue", "skipped": "needs psql, nginx-light (make deps) and ../shared/eval/screening-dev.csv"}'
  exit 0
fi
export ROWS=${ROWS:-1000000} BASELINE_ROWS=${BASELINE_ROWS:-200000}
chunk=${CHUNK_ROWS:-10000}
lease=${LEASE:-10}
work=$(mktemp -d /tmp/clearance-jobq.XXXXXX)
trap 'rm -rf "$work"' EXIT
# Rows as a bank's customer file: one in 20 is a name of the evaluation queries (most of them
# hit a list), the others generated names of people and firms (most hit nothing).
python3 - "$queries" "$work" <<'PY'
import csv, os, random, sys
names = [r["name"] for r in csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8")) if r["name"]]
rng = random.Random(16)
syl = ["ka", "lo", "mer", "tin", "sa", "ber", "go", "vi", "ran", "del", "mo", "ne", "ste", "fa", "ri", "lun"]
word = lambda: "".join(rng.choice(syl) for _ in range(rng.randint(2, 3))).capitalize()
for label, n in (("big", int(os.environ["ROWS"])), ("base", int(os.environ["BASELINE_ROWS"]))):
    with open(f"{sys.argv[2]}/{label}.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["id", "name"])
        for i in range(n):
            if i % 20 == 0:
                name = names[(i // 20) % len(names)]
            elif i % 3 == 0:
                name = f"{word()} {word()} {rng.choice(['GmbH', 'Ltd', 'Trading Co', 'SA', 'LLC'])}"
            else:
                name = f"{word()} {word()}"
            w.writerow([f"r{i}", name])
PY
export WORK=$work
export CLUSTER_SERVE_OPTIONS="--rate-limit 0 --log-level warn --threads 1 --job-chunk-rows $chunk --job-lease $lease --max-upload 268435456"
sdn=$data/us/ofac/sdn-2021-07
"$here/../scripts/cluster.sh" --bin "$cl" --replicas 3 \
  --import "$data/us/csl/consolidated-2026-07-converted.csv" --import "$sdn/sdn.csv $sdn/alt.csv $sdn/add.csv" \
  -- bash -c '
    set -euo pipefail
    sql() { psql -qtAX "$CLUSTER_PG_URL" -c "$1"; }
    # Straight to replica 1 (nginx allows 64 MiB bodies); status is asked of replica 3.
    r1=http://127.0.0.1:$(cat "$CLUSTER_DIR/replica-1.port")
    r3=http://127.0.0.1:$(cat "$CLUSTER_DIR/replica-3.port")
    post() {  # file idempotency-key -> job id (the error body on stderr when refused)
      local out
      out=$(curl -sS --fail-with-body -X POST -H "Authorization: Bearer $CLUSTER_KEY" -H "Content-Type: text/csv" \
        -H "Idempotency-Key: $2" --data-binary "@$1" "$r1/v1/jobs?kind=screen") || { echo "POST $1: $out" >&2; return 1; }
      echo "$out" | python3 -c "import json,sys; print(json.load(sys.stdin)[\"id\"])"
    }
    status() { curl -sf -H "Authorization: Bearer $CLUSTER_KEY" "$r3/v1/jobs/$1"; }
    field() { python3 -c "import json,sys; j=json.load(sys.stdin); print(eval(sys.argv[1]))" "$1"; }
    wait_done() {  # id -> seconds
      local t0=$(date +%s.%N) s
      while :; do
        s=$(status "$1" | field "j[\"status\"]")
        [ "$s" = done ] || [ "$s" = failed ] && break
        sleep 0.5
      done
      echo "$(date +%s.%N) - $t0" | bc
    }
    report() {  # label id rows seconds killed
      local j; j=$(status "$2")
      local records lines
      records=$(sql "SELECT count(*) FROM audit_records r JOIN audit_inputs i ON i.seq = r.seq WHERE r.action = '"'"'screen.batch'"'"' AND CAST(i.inputs AS jsonb)->'"'"'row'"'"'->>'"'"'file_sha256'"'"' = '"'"'$(sha256sum "$WORK/$1.csv" | cut -c1-64)'"'"'")
      lines=$(sql "SELECT count(DISTINCT CAST(i.inputs AS jsonb)->'"'"'row'"'"'->>'"'"'line'"'"') FROM audit_records r JOIN audit_inputs i ON i.seq = r.seq WHERE r.action = '"'"'screen.batch'"'"' AND CAST(i.inputs AS jsonb)->'"'"'row'"'"'->>'"'"'file_sha256'"'"' = '"'"'$(sha256sum "$WORK/$1.csv" | cut -c1-64)'"'"'")
      answered=$(curl -sf -H "Authorization: Bearer $CLUSTER_KEY" "$r3/v1/jobs/$2/result" | wc -l)
      echo "$j" | python3 -c "
import json, sys
j = json.load(sys.stdin)
rows, secs = $3, $4
print(json.dumps({\"bench\": \"job_queue\", \"run\": \"$1\", \"replicas\": 3, \"rows\": rows, \"status\": j[\"status\"],
  \"seconds\": round(secs, 1), \"rows_per_s\": round(rows / secs), \"chunks\": j[\"chunks\"][\"total\"],
  \"reclaimed_chunks\": j[\"chunks\"][\"reclaimed\"], \"killed_replica\": $5, \"result_lines\": $answered,
  \"records\": $records, \"distinct_rows_recorded\": $lines,
  \"exactly_once\": $answered == rows and $records == rows and $lines == rows}))"
    }
    # Baseline: no kill.
    id=$(post "$WORK/base.csv" base)
    secs=$(wait_done "$id")
    report base "$id" "$BASELINE_ROWS" "$secs" False
    # The big job; replica 2 is killed once a quarter is done, while it holds a chunk.
    t0=$(date +%s.%N)
    id=$(post "$WORK/big.csv" big)
    pid=$(cat "$CLUSTER_DIR/replica-2.pid")
    killed=False
    while :; do
      j=$(status "$id")
      [ "$(echo "$j" | field "j[\"status\"]")" = done ] && break  # done before a kill could land
      done_rows=$(echo "$j" | field "j[\"progress\"][\"done\"]")
      held=$(sql "SELECT count(*) FROM job_chunks WHERE state = '"'"'claimed'"'"' AND claimed_by LIKE '"'"'%:$pid:%'"'"'")
      if [ "$done_rows" -ge $((ROWS / 4)) ] && [ "$held" -gt 0 ]; then
        kill -KILL "$pid"
        killed=True
        sleep 5
        "$CLUSTER_DIR/start-replica-2.sh"
        break
      fi
      sleep 0.2
    done
    secs=$(wait_done "$id")
    total=$(echo "$(date +%s.%N) - $t0" | bc)
    report big "$id" "$ROWS" "$total" "$killed"
    "$CLEARANCE_BIN" --home "$CLUSTER_DIR/home" --store "$CLUSTER_PG_URL" audit verify >/dev/null &&
      echo "{\"bench\": \"job_queue\", \"audit_verify\": \"ok\"}" ||
      echo "{\"bench\": \"job_queue\", \"audit_verify\": \"failed\"}"' | grep '^{'
