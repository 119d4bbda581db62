-- SPDX-License-Identifier: MIT
-- mix.lua: the soak load of bench/run --soak. Every connection cycles through
-- the same 100 requests, built once per thread: reads with each kind of
-- token, the 401, 403, 400 and 404 paths, and one create in 100, so every
-- code path that could leak runs for the whole soak.
--
--   BENCH_RO, BENCH_FULL, BENCH_CUSTOM  keys of the three token types
--   BENCH_DOC                           a documentId for findOne

local ro = os.getenv("BENCH_RO")
local full = os.getenv("BENCH_FULL")
local custom = os.getenv("BENCH_CUSTOM")
local doc = os.getenv("BENCH_DOC")
assert(ro and full and custom and doc, "BENCH_RO/FULL/CUSTOM/DOC must be set")

local reqs = {}
local function add(n, method, path, key, body)
   local h = {}
   if key then h["Authorization"] = "Bearer " .. key end
   if body then h["Content-Type"] = "application/json" end
   local r = wrk.format(method, path, h, body)
   for _ = 1, n do reqs[#reqs + 1] = r end
end

function init(args)
   add(40, "GET", "/api/articles", ro)
   add(30, "GET", "/api/articles/" .. doc, ro)
   add(10, "GET", "/api/articles", custom)
   add(5, "GET", "/api/articles?filters%5Bviews%5D%5B%24lt%5D=500&sort=views%3Adesc", ro)
   add(4, "GET", "/api/articles", string.rep("0", 256))
   add(4, "GET", "/api/articles", nil)
   add(3, "GET", "/api/articles?filters%5Bnope%5D%5B%24eq%5D=1", ro)
   add(3, "GET", "/api/articles/doesnotexist000000000000", ro)
   add(1, "POST", "/api/articles", full,
       '{"data":{"title":"Soak article","body":"Written during the soak","views":7,"published":true}}')
   -- interleave so that the create is not always in the same place
   local n = #reqs
   for i = n, 2, -1 do
      local j = (i * 7919) % i + 1
      reqs[i], reqs[j] = reqs[j], reqs[i]
   end
end

local i = 0
function request()
   i = i % #reqs + 1
   return reqs[i]
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
