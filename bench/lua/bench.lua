-- SPDX-License-Identifier: MIT
-- bench.lua: the one wrk script of bench/run, configured by the environment
-- so every scenario (and its ceiling) is driven the same way.
--
--   BENCH_METHOD     GET (default) or POST
--   BENCH_BODY       request body (POST); sent with Content-Type: application/json
--   BENCH_AUTH       the Authorization header value ("Bearer KEY"); none when empty
--   BENCH_KEYS       file of keys, one per line: each request carries the next
--                    key ("Bearer KEY"), round robin; every thread starts at a
--                    different offset. At most BENCH_KEYS_MAX (100000) are read.
--   BENCH_TOUCH      a folder; with BENCH_KEYS: a thread that has had as many
--                    answers as there are keys (so it has used every key)
--                    creates BENCH_TOUCH/done-<thread> and stops; bench/run
--                    ends wrk when every thread is done. This is the "touch
--                    pass" that brings a rotating scenario to its steady state
--
-- With BENCH_KEYS the script defines request(), which makes wrk build every
-- request in Lua (slower for the client); the ceiling of such a scenario is
-- driven by this same script, so the ratio stays fair.
--
-- done() prints one line "BENCH_JSON {...}" with the counts and latency
-- percentiles in microseconds; bench/run parses that line only.

local method = os.getenv("BENCH_METHOD") or "GET"
local body = os.getenv("BENCH_BODY")
local auth = os.getenv("BENCH_AUTH") or ""
local keys_file = os.getenv("BENCH_KEYS") or ""
local keys_max = tonumber(os.getenv("BENCH_KEYS_MAX") or "100000")
local touch = os.getenv("BENCH_TOUCH") or ""

wrk.method = method
if body and body ~= "" then
   wrk.body = body
   wrk.headers["Content-Type"] = "application/json"
end
if auth ~= "" then
   wrk.headers["Authorization"] = auth
end

local next_tid = 0
function setup(thread)
   thread:set("tid", next_tid)
   next_tid = next_tid + 1
end

if keys_file ~= "" then
   local keys, n = {}, 0
   for line in io.lines(keys_file) do
      if n >= keys_max then break end
      if line ~= "" then
         n = n + 1
         keys[n] = line
      end
   end
   assert(n > 0, "no keys in " .. keys_file)
   local i = nil
   local headers = {}
   for k, v in pairs(wrk.headers) do headers[k] = v end

   function request()
      if i == nil then
         -- threads start far apart so they do not walk the same keys together
         i = ((tid or 0) * 7919 * 13) % n
      end
      i = i % n + 1
      headers["Authorization"] = "Bearer " .. keys[i]
      return wrk.format(nil, nil, headers, nil)
   end

   if touch ~= "" then
      local answered = 0
      function response(status, headers, body)
         answered = answered + 1
         if answered == n then
            local f = io.open(touch .. "/done-" .. tostring(tid), "w")
            if f then f:close() end
            wrk.thread:stop()
         end
      end
   end
end

function done(summary, latency, requests)
   local e = summary.errors
   io.write(string.format(
      'BENCH_JSON {"requests":%d,"duration_us":%d,"bytes":%d,' ..
      '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},' ..
      '"latency_us":{"mean":%.1f,"max":%d,"p50":%d,"p75":%d,"p90":%d,"p99":%d,"p999":%d}}\n',
      summary.requests, summary.duration, summary.bytes,
      e.connect, e.read, e.write, e.status, e.timeout,
      latency.mean, latency.max,
      latency:percentile(50), latency:percentile(75), latency:percentile(90),
      latency:percentile(99), latency:percentile(99.9)))
end
