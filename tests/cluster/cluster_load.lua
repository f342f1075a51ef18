-- wrk script for tests/cluster/cluster_test.sh: POST /v1/screen through nginx, each request with its
-- own Idempotency-Key (so nginx may retry it on another replica), collecting the record number of
-- every answer so the test can match answers to audit records. Prints one JSON line at the end.
local names = {"Huawei Technologies Co Ltd", "Hangzhou Hikvision Digital Technology", "Sovcomflot",
               "Rosneft Oil Company", "Acme Widgets Ltd", "Zhejiang Dahua Technology", "John Smith",
               "Islamic Revolutionary Guard Corps", "Tornado Cash", "Mahan Air"}
local threads = {}
local counter = 0

setup = function(thread)
  counter = counter + 1
  thread:set("tid", counter)
  table.insert(threads, thread)
end

init = function(args)
  n = 0
  answered = {}
  bad = 0
end

request = function()
  n = n + 1
  local body = string.format('{"name": "%s", "customer_id": "c%d-%d"}', names[n % #names + 1], tid, n)
  return wrk.format("POST", "/v1/screen", {
    ["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer " .. os.getenv("CLUSTER_KEY"),
    ["Idempotency-Key"] = string.format("cluster-test-%d-%d", tid, n)}, body)
end

response = function(status, headers, body)
  local seq = body:match('"record":%s*(%d+)')
  if status == 200 and seq then answered[#answered + 1] = seq else bad = bad + 1 end
end

done = function(summary, latency, requests)
  local seqs, bad_total = {}, 0
  for _, t in ipairs(threads) do
    for _, s in ipairs(t:get("answered")) do seqs[#seqs + 1] = s end
    bad_total = bad_total + t:get("bad")
  end
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "requests_per_s": %.1f, "p99_ms": %.3f, "answers_without_record": %d, ' ..
    '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, "records": [%s]}\n',
    summary.requests, summary.requests / (summary.duration / 1e6), latency:percentile(99) / 1000, bad_total,
    e.connect, e.read, e.write, e.status, e.timeout, table.concat(seqs, ",")))
end
