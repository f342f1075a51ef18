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
# A list imported through nginx (so through one replica) is served by every replica within seconds.
v2=$CLUSTER_DIR/us-v2.csv
grep -v 'Huawei Technologies Co., Ltd.' "$here/data/lists/sample-us.csv" >"$v2"
imported=$(curl -sS -f -H "Authorization: Bearer $CLUSTER_KEY" -H 'Content-Type: text/csv' --data-binary @"$v2" \
  "$CLUSTER_URL/v1/lists?filename=us.csv&name=sample-us&allow_shrink=true") || fail "POST /v1/lists through nginx"
want=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["imported"][0]["snapshot_id"])' "$imported")
for i in $(seq 1 "$CLUSTER_REPLICAS"); do
  port=$(cat "$CLUSTER_DIR/replica-$i.port")
  got=
  for _ in $(seq 1 100); do
    got=$(curl -sS -H "Authorization: Bearer $CLUSTER_KEY" "http://127.0.0.1:$port/v1/lists" |
      python3 -c 'import json,sys; j=json.load(sys.stdin); l=j["lists"] if isinstance(j,dict) else j; print(" ".join(x["snapshot_id"] for x in l if x["name"]=="sample-us"))')
    [ "$got" = "$want" ] && break
    sleep 0.1
  done
  [ "$got" = "$want" ] || fail "replica $i serves snapshot '$got', not the imported $want"
done
echo "cluster_test: every replica serves the imported snapshot $want"
echo "cluster_test: ok"
