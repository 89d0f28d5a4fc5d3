-- wrk script for distinct-paths.sh: every request asks for a path not asked before,
-- /r/appK/fn with K = FIRST, FIRST+1, ... shared out over the threads (thread t of T takes
-- FIRST+t, FIRST+t+T, ...). A thread stops after its share of COUNT responses and appends a line
-- to DONE_FILE; wrk itself only ends at -d or on SIGINT, which the caller sends once all threads
-- are done. At the end it prints one "WRK ..." line (latencies in us).
-- Arguments (after --): FIRST COUNT THREADS DONE_FILE
local next_id = 0

function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
end

local k, step, quota, got, done_file

function init(args)
  local first, count, threads = tonumber(args[1]), tonumber(args[2]), tonumber(args[3])
  local id = wrk.thread:get("id")
  done_file = args[4]
  k = first + id
  step = threads
  quota = math.floor(count / threads) + ((id < count % threads) and 1 or 0)
  got = 0
end

function request()
  local path = "/r/app" .. string.format("%d", k) .. "/fn"
  k = k + step
  return wrk.format("GET", path)
end

function response(status, headers, body)
  got = got + 1
  if got == quota then
    local f = io.open(done_file, "a")
    f:write("done\n")
    f:close()
    wrk.thread:stop()
  end
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "WRK requests=%d duration_us=%d rps=%.1f p50_us=%d p99_us=%d max_us=%d " ..
    "err_connect=%d err_read=%d err_write=%d err_status=%d err_timeout=%d\n",
    summary.requests, summary.duration, summary.requests / (summary.duration / 1e6),
    latency:percentile(50), latency:percentile(99), latency.max,
    e.connect, e.read, e.write, e.status, e.timeout))
end
