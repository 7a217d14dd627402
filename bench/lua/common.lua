-- Shared by the bench's wrk scripts: a monotonic clock for pacing, per-thread status
-- counting, and one JSON line of results that bench/wrk.py parses.
local ffi = require("ffi")
ffi.cdef [[
typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
int clock_gettime(int clk_id, bench_timespec *tp);
]]
local ts = ffi.new("bench_timespec")

local M = {}

function M.now_ms()
  ffi.C.clock_gettime(1, ts) -- CLOCK_MONOTONIC
  return tonumber(ts.tv_sec) * 1000 + tonumber(ts.tv_nsec) / 1e6
end

-- Paced sending: an open schedule of `rate` requests a second for this thread. A request
-- that is late goes at once (no catch-up burst larger than the backlog).
function M.pacer(rate)
  if not rate or rate <= 0 then
    return nil
  end
  local interval = 1000 / rate
  local next_at = nil
  return function()
    local now = M.now_ms()
    if next_at == nil then
      next_at = now
    end
    local slot = next_at
    next_at = next_at + interval
    local d = slot - now
    if d < 0 then
      return 0
    end
    return d
  end
end

M.threads = {}

function M.setup(thread)
  table.insert(M.threads, thread)
end

function M.done(summary, latency)
  local ok, other, other_codes = 0, 0, {}
  for _, t in ipairs(M.threads) do
    ok = ok + (t:get("ok") or 0)
    other = other + (t:get("other") or 0)
    local code = t:get("other_code")
    if code then
      table.insert(other_codes, code)
    end
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests":%d,"duration_us":%d,"bytes":%d,"ok":%d,"not_ok":%d,' ..
    '"not_ok_example":"%s","errors":{"connect":%d,"read":%d,"write":%d,"status":%d,' ..
    '"timeout":%d},"latency_us":{"p50":%d,"p90":%d,"p95":%d,"p99":%d,"max":%d,' ..
    '"mean":%.1f}}\n',
    summary.requests, summary.duration, summary.bytes, ok, other,
    table.concat(other_codes, ","), e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(95),
    latency:percentile(99), latency.max, latency.mean))
end

-- Sends the prepared `requests` in turn (a pacer from `rate`, flat out when 0) and counts
-- 200 answers against the rest for done(). Call it from the script's init(): it defines the
-- request, delay and response functions wrk looks for.
function M.replay(requests, rate)
  local index, pace = 0, M.pacer(rate)
  local ok, other, other_code = 0, 0, nil
  request = function()
    index = index % #requests + 1
    return requests[index]
  end
  delay = function()
    if pace then
      return pace()
    end
    return 0
  end
  response = function(status, headers, body)
    if status == 200 then
      ok = ok + 1
    else
      other = other + 1
      other_code = tostring(status)
    end
    wrk.thread:set("ok", ok)
    wrk.thread:set("other", other)
    if other_code then
      wrk.thread:set("other_code", other_code)
    end
  end
end

return M
