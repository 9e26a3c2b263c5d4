-- wrk script: POSTs to the URL's path, rotating through pre-generated JSON bodies (one per line of the file
-- named by $BENCH_BODIES) so the backend answers many different queries, not one; $BENCH_API_KEY is sent as
-- X-API-Key. Each wrk thread starts at a different place in the file. At the end it prints one JSON line with
-- the figures bench/run records (latency in microseconds, as wrk measures it).

local thread_count = 0

function setup(thread)
  thread:set("thread_index", thread_count)
  thread_count = thread_count + 1
end

local requests = {}
local count = 0
local next_index = 0

function init(args)
  local file = os.getenv("BENCH_BODIES")
  local headers = {
    ["Content-Type"] = "application/json",
    ["X-API-Key"] = os.getenv("BENCH_API_KEY") or "",
  }
  for body in io.lines(file) do
    count = count + 1
    requests[count] = wrk.format("POST", wrk.path, headers, body)
  end
  if count == 0 then
    error("no request bodies in " .. tostring(file))
  end
  next_index = ((thread_index or 0) * 997) % count
end

function request()
  next_index = next_index % count + 1
  return requests[next_index]
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests":%d,"duration_us":%d,"rps":%.3f,"p50_ms":%.4f,"p99_ms":%.4f,"max_ms":%.4f,"mean_ms":%.4f,' ..
    '"errors":%d,"errors_connect":%d,"errors_read":%d,"errors_write":%d,"errors_status":%d,"errors_timeout":%d}\n',
    summary.requests, summary.duration, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000, latency.mean / 1000,
    e.connect + e.read + e.write + e.status + e.timeout, e.connect, e.read, e.write, e.status, e.timeout))
end
