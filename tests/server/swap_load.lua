-- wrk script for ListsUpdateApi (tests/server/lists_update_api_test.cpp): POST /v1/screen with the
-- request bodies of $BODIES (one JSON object a line), cycling, while the test swaps the lists.
-- Counts answers that are not 2xx, answers without the X-Clearance-Snapshots header, and the
-- distinct snapshot ids answers named; prints one JSON line with those and wrk's socket errors.
local bodies = {}
for line in io.lines(os.getenv("BODIES")) do bodies[#bodies + 1] = line end
local headers = {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. os.getenv("KEY")}
local threads = {}
local i = 0

setup = function(thread)
  thread:set("offset", #threads * 7)
  table.insert(threads, thread)
end

init = function(args)
  i = offset or 0
  not2xx = 0
  unnamed = 0
  seen = {}
end

request = function()
  i = i % #bodies + 1
  return wrk.format("POST", "/v1/screen", headers, bodies[i])
end

response = function(status, hdrs, body)
  if status < 200 or status > 299 then not2xx = not2xx + 1 end
  local snap = hdrs["X-Clearance-Snapshots"]
  if snap == nil or snap == "" then
    unnamed = unnamed + 1
  else
    seen[snap] = true
  end
end

done = function(summary, latency, requests)
  local bad, missing, distinct, names = 0, 0, 0, {}
  for _, t in ipairs(threads) do
    bad = bad + t:get("not2xx")
    missing = missing + t:get("unnamed")
    for k, _ in pairs(t:get("seen")) do
      if not names[k] then
        names[k] = true
        distinct = distinct + 1
      end
    end
  end
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_s": %.3f, "requests_per_s": %.1f, "p99_ms": %.3f, "max_ms": %.3f, ' ..
    '"not_2xx": %d, "without_snapshot_header": %d, "distinct_snapshots": %d, ' ..
    '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}}\n',
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(99) / 1000, latency.max / 1000, bad, missing, distinct,
    e.connect, e.read, e.write, e.status, e.timeout))
end
