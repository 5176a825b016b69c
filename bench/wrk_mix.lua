-- Closed-loop request mix for wrk: cycles through the request paths listed in
-- the file named by BENCH_PATHS (one per line, each "ACCEPT<TAB>PATH").
-- BENCH_DISTINCT=1 appends a SPARQL comment with BENCH_NONCE (new for every
-- run) and a counter so that every request carries a query text never sent
-- before (defeats any response cache, also across runs).
-- done() prints one JSON line that bench/run.py reads.
local paths, accepts = {}, {}
local file = assert(io.open(os.getenv("BENCH_PATHS"), "r"))
for line in file:lines() do
  local accept, path = line:match("^([^\t]*)\t(.*)$")
  table.insert(accepts, accept)
  table.insert(paths, path)
end
file:close()
local distinct = os.getenv("BENCH_DISTINCT") == "1"
local nonce = os.getenv("BENCH_NONCE") or ""
local counter, index = 0, 0
local thread_id = 0
local threads_seen = 0

function setup(thread)
  threads_seen = threads_seen + 1
  thread:set("thread_id", threads_seen)
end

function request()
  index = index % #paths + 1
  counter = counter + 1
  local path = paths[index]
  if distinct then
    path = path .. "%0A%23%20" .. nonce .. "-" .. thread_id .. "-" .. counter
  end
  local headers = {}
  if accepts[index] ~= "" then headers["Accept"] = accepts[index] end
  return wrk.format("GET", path, headers)
end

local bad = 0
function response(status, headers, body)
  if status >= 400 then bad = bad + 1 end
end

function done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, "connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    errors.connect, errors.read, errors.write, errors.status, errors.timeout))
end
