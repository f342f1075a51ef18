#!/usr/bin/env bash
# The main job on the bundled data: screen parties, classify chips, determine licence requirements
# across the 2025-2026 rule changes, and (when built) the impact on the sample order book.
# usage: scripts/demo.sh PATH/TO/clearance DATA_HOME
set -euo pipefail
cl=${1:?usage: demo.sh PATH/TO/clearance DATA_HOME}
home=${2:?usage: demo.sh PATH/TO/clearance DATA_HOME}
here=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$home"
run() { echo; echo "\$ clearance $*"; "$cl" --home "$home" "$@"; }

echo "== Lists: nothing imported yet, so the bundled samples are in force"
run lists

echo; echo "== Screening: typos, reordered names, legal-form variants; near misses stay quiet"
run screen "Huawei Technologies Company Limited" --country CN --limit 2
run screen "Hangzou Hikvison Digital Technology" --limit 1
run screen "Fangwei LI" --type person --limit 1
run screen "Zhejiang Dahao Technology Co., Ltd."
run compare "Joint Stock Copany Sovcomflot" "JOINT STOCK COMPANY SOVCOMFLOT"

echo; echo "== Cross-script: Chinese, traditional and pinyin names find the English entries, and back"
run screen 华为技术有限公司 --limit 1
run screen 杭州海康威视數字技術股份有限公司 --limit 1
run screen "Huawei Jishu Youxian Gongsi" --limit 1
run screen "Lockheed Martin Corporation" --limit 1
run screen 大华银行

echo; echo "== Classification under the rules in force on a date"
run classify --model H20 --as-of 2025-05-01 --format json
run classify --model A800 --as-of 2023-06-01
run classify --model A800 --as-of 2023-12-01

echo; echo "== Determinations across the 2025-2026 swings"
run check --item H20 --to CN --as-of 2024-06-01
run check --item H20 --to CN --exporter NVIDIA --as-of 2025-05-01
run check --item H200 --to CN --from US --as-of 2026-02-01
run check --item "RTX 4090" --to CN --as-of 2024-01-10
run check --item H100 --to MY --party "Huawei Technologies Co., Ltd." --as-of 2024-06-01
run check --item "dysprosium oxide" --to JP --as-of 2025-03-01
run check --item 氧化镝 --to JP --as-of 2025-04-10
run check --item gallium --to US --as-of 2025-06-01
run check --item gallium --to US --as-of 2025-12-01

if [ -f "$here/data/orders/sample-orders.csv" ] && "$cl" impact --help >/dev/null 2>&1; then
  echo; echo "== Impact of the rule changes on the sample order book"
  run impact --orders "$here/data/orders/sample-orders.csv" --from 2025-03-01 --to 2025-05-01
  run impact --orders "$here/data/orders/sample-orders.csv" --from 2025-08-15 --to 2026-02-01 \
    --report "$home/impact-2025-08-to-2026-02.html"
  echo "HTML report: $home/impact-2025-08-to-2026-02.html"
fi

echo; echo "== Every answer above is on the record: verify the chain, show one record, replay it"
run audit verify
run audit head
run audit show 2
run audit replay 2
run cases list

echo; echo "== The analyst page (web/) on this demo's data"
analyst=$("$cl" --home "$home" keys create --name "demo analyst" --role analyst 2>/dev/null)
approver=$("$cl" --home "$home" keys create --name "demo approver" --role approver 2>/dev/null)
admin=$("$cl" --home "$home" keys create --name "demo admin" --role admin 2>/dev/null)
printf 'analyst  %s\napprover %s\nadmin    %s\n' "$analyst" "$approver" "$admin" > "$home/demo-keys.txt"
chmod 600 "$home/demo-keys.txt"
cat <<MSG
Nothing was started. To open the page on this data:

  $cl --home $home serve --listen 127.0.0.1:8080      # or: make demo-serve
  then open http://127.0.0.1:8080/ and sign in with one of these keys (also in $home/demo-keys.txt):
    analyst  $analyst      (screen, batch, review and decide cases, check, impact)
    approver $approver      (approve another user's decision when four-eyes is on)
    admin    $admin      (everything, including audit records and replay)
  Four-eyes approval: $cl --home $home cases policy --require-approval true
  Ctrl-C stops the server. The page: docs/WEB.md.
MSG
