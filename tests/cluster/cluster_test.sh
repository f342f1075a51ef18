#!/usr/bin/env bash
# Issue 16: screening load through nginx while one replica is killed with SIGKILL and restarted.
# Run inside scripts/cluster.sh (make cluster-test does): clients must see zero failed requests,
# the audit chain must verify, and every answer a client received must have exactly one record.
set -euo pipefail
: "${CLUSTER_URL:?run me through scripts/cluster.sh}"
here=$(cd "$(dirname "$0")/../.." && pwd)
seconds=${CLUSTER_TEST_SECONDS:-12}
victim=2
fail() { echo "cluster_test: FAIL: $*" >&2; exit 1; }
command -v wrk >/dev/null || fail "wrk is absent (make deps installs it)"

out=$CLUSTER_DIR/wrk.json
wrk -t2 -c16 -d"${seconds}s" --timeout 10s -s "$here/tests/cluster/cluster_load.lua" "$CLUSTER_URL" >"$CLUSTER_DIR/wrk.out" 2>&1 &
wrk_pid=$!
sleep $((seconds / 3))
pid=$(cat "$CLUSTER_DIR/replica-$victim.pid")
kill -KILL "$pid"
echo "cluster_test: killed replica $victim (pid $pid) with SIGKILL at ${seconds}s/3"
sleep 2
"$CLUSTER_DIR/start-replica-$victim.sh"
echo "cluster_test: restarted replica $victim (pid $(cat "$CLUSTER_DIR/replica-$victim.pid"))"
wait "$wrk_pid" || { cat "$CLUSTER_DIR/wrk.out" >&2; fail "wrk failed"; }
grep '^{' "$CLUSTER_DIR/wrk.out" | tail -1 >"$out" || { cat "$CLUSTER_DIR/wrk.out" >&2; fail "wrk printed no summary"; }

records=$CLUSTER_DIR/screen-records.jsonl
"$CLEARANCE_BIN" --home "$CLUSTER_DIR/home" --store "$CLUSTER_PG_URL" audit verify >"$CLUSTER_DIR/verify.out" 2>&1 ||
  { cat "$CLUSTER_DIR/verify.out" >&2; fail "audit verify"; }
"$CLEARANCE_BIN" --home "$CLUSTER_DIR/home" --store "$CLUSTER_PG_URL" audit export --from 2000-01-01 --to 2100-01-01 \
  --action screen >"$records"

python3 - "$out" "$records" "$CLUSTER_DIR" "$CLUSTER_REPLICAS" <<'PY'
import json, sys, glob
wrk = json.load(open(sys.argv[1]))
recs = [json.loads(l) for l in open(sys.argv[2]) if l.strip()]
seqs = {r["seq"] for r in recs}
answers = [int(s) for s in wrk.pop("records")]
errors = sum(wrk["errors"].values()) + wrk["answers_without_record"]
summary = dict(wrk, screen_records=len(recs), answers=len(answers),
               records_without_answer=len(seqs - set(answers)))
print("cluster_test:", json.dumps(summary))
assert wrk["requests"] > 100, "too little load went through"
assert errors == 0, f"clients saw failed requests: {wrk['errors']}, {wrk['answers_without_record']} answers without a record"
assert len(answers) == len(set(answers)), "two answers name the same record"
missing = set(answers) - seqs
assert not missing, f"{len(missing)} answers have no screen record, e.g. {sorted(missing)[:5]}"
# Records without an answer: requests in flight when the replica died (nginx retried them
# elsewhere) or when wrk stopped: at most one per connection each time.
assert summary["records_without_answer"] <= 2 * 16, summary
served = [sum(1 for _ in open(f)) for f in sorted(glob.glob(sys.argv[3] + "/replica-*.log"))]
assert len(served) == int(sys.argv[4]) and all(n > 0 for n in served), f"a replica got no requests: {served}"
PY
echo "cluster_test: ok"
