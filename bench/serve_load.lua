-- wrk script for bench/serve_load.sh. With $BODIES: POST /v1/screen with its request bodies (one
-- JSON object a line, varied names from the evaluation queries), cycling, each thread from its own
-- offset. Without: GET /healthz, the transport's own ceiling (no screening, no JSON, no record).
-- Prints one JSON line with requests/s, latency percentiles and every kind of error.
local bodies = {}
local file = os.getenv("BODIES")
if file and file ~= "" then
  for line in io.lines(file) do bodies[#bodies + 1] = line end
end
local headers = {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. (os.getenv("KEY") or "")}
local counter = 1
local i = 0

setup = function(thread)
  thread:set("offset", counter * 7919)
  counter = counter + 1
end

init = function(args)
  i = (offset or 0) % math.max(1, #bodies)
end

request = function()
  if #bodies == 0 then return wrk.format("GET", "/healthz") end
  i = i % #bodies + 1
  return wrk.format("POST", "/v1/screen", headers, bodies[i])
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_s": %.3f, "requests_per_s": %.1f, "p50_ms": %.3f, "p99_ms": %.3f, ' ..
    '"max_ms": %.3f, "errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}}\n',
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    e.connect, e.read, e.write, e.status, e.timeout))
end
