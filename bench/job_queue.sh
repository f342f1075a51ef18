#!/usr/bin/env bash
# A batch job of ROWS generated rows (default 1,000,000) through nginx to three `clearance serve`
# replicas on one PostgreSQL store (scripts/cluster.sh), with the store as the job queue: replica 2
# is killed with SIGKILL once a quarter of the rows are done (while it holds a chunk) and started
# again 5 s later. Baseline in the same run: a job of BASELINE_ROWS (default 200,000) with no kill.
# Checks exactly one answer and one record per row (the store's records name each row's line once),
# and that the chain verifies. Then an impact run of IMPACT_ORDERS generated orders (default
# 1,000,000) two ways in the same run: a job split across the replicas in chunks of IMPACT_CHUNK
# (default 250,000), and one synchronous POST /v1/impact to replica 1 (one core); their reports
# must count the same. Prints one JSON object a line.
# usage: bench/job_queue.sh BUILD_DIR   (env: ROWS, BASELINE_ROWS, CHUNK_ROWS, LEASE, IMPACT_ORDERS,
#        IMPACT_CHUNK)
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
export ROWS=${ROWS:-1000000} BASELINE_ROWS=${BASELINE_ROWS:-200000} IMPACT_ORDERS=${IMPACT_ORDERS:-1000000}
chunk=${CHUNK_ROWS:-10000}
lease=${LEASE:-10}
work=$(mktemp -d /tmp/clearance-jobq.XXXXXX)
trap 'rm -rf "$work"' EXIT
# Rows as a bank's customer file: one in 20 is a name of the evaluation queries (most of them
# hit a list), the others generated names of people and firms (most hit nothing).
python3 - "$queries" "$work" "$here/../data/orders/sample-orders.csv" <<'PY'
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
# An order book: the bundled sample book's orders over and over, under new ids, for 5,000
# customers (one order in 50 keeps its sample customer, some of them listed).
sample = list(csv.DictReader(open(sys.argv[3], newline="", encoding="utf-8")))
customers = [f"{word()} {word()} {rng.choice(['GmbH', 'Ltd', 'Co'])}" for _ in range(5000)]
with open(f"{sys.argv[2]}/orders.csv", "w", newline="", encoding="utf-8") as f:
    w = csv.DictWriter(f, fieldnames=list(sample[0].keys()), lineterminator="\n")
    w.writeheader()
    for i in range(int(os.environ["IMPACT_ORDERS"])):
        o = dict(sample[i % len(sample)])
        o["id"] = f"O{i}"
        if i % 50:
            o["customer"] = customers[i % 5000]
        w.writerow(o)
PY
export WORK=$work
export CLUSTER_SERVE_OPTIONS="--rate-limit 0 --log-level warn --threads 1 --job-chunk-rows $chunk --job-lease $lease --max-upload 268435456 --job-impact-rows ${IMPACT_CHUNK:-250000} --request-timeout 600"
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
    # The impact run: a job split across the replicas, then one request to one replica.
    q="from=2025-03-01&to=2026-01-20"
    t0=$(date +%s.%N)
    id=$(curl -sS --fail-with-body -X POST -H "Authorization: Bearer $CLUSTER_KEY" -H "Content-Type: text/csv" \
      --data-binary "@$WORK/orders.csv" "$r1/v1/jobs?kind=impact&$q" | field "j[\"id\"]")
    wait_done "$id" >/dev/null
    job_s=$(echo "$(date +%s.%N) - $t0" | bc)
    chunks=$(status "$id" | field "j[\"chunks\"][\"total\"]")
    curl -sf -H "Authorization: Bearer $CLUSTER_KEY" "$r3/v1/jobs/$id/result" > "$WORK/impact-job.json"
    t0=$(date +%s.%N)
    curl -sf -X POST -H "Authorization: Bearer $CLUSTER_KEY" -H "Content-Type: text/csv" \
      --data-binary "@$WORK/orders.csv" "$r1/v1/impact?$q" > "$WORK/impact-one.json"
    one_s=$(echo "$(date +%s.%N) - $t0" | bc)
    python3 - "$WORK/impact-job.json" "$WORK/impact-one.json" "$IMPACT_ORDERS" "$chunks" "$job_s" "$one_s" <<PY
import json, sys
job, one = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
n, chunks, job_s, one_s = int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5]), float(sys.argv[6])
same = all(job["counts"][k] == one["counts"][k] for k in ("rows", "orders", "errors", "changes")) and \
    job["changes"] == one["changes"]
print(json.dumps({"bench": "job_queue", "run": "impact", "replicas": 3, "orders": n, "chunks": chunks,
                  "job_seconds": round(job_s, 1), "one_request_seconds": round(one_s, 1),
                  "speedup": round(one_s / job_s, 2), "records": len(job.get("records", [])),
                  "changes": job["counts"]["changes"], "same_report": same}))
PY
    "$CLEARANCE_BIN" --home "$CLUSTER_DIR/home" --store "$CLUSTER_PG_URL" audit verify >/dev/null &&
      echo "{\"bench\": \"job_queue\", \"audit_verify\": \"ok\"}" ||
      echo "{\"bench\": \"job_queue\", \"audit_verify\": \"failed\"}"' | grep '^{'
