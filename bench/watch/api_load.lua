-- wrk script: load on Faro's JSON API with a bearer token, optionally paced.
--
-- wrk -t2 -c20 -d30s --latency -s api_load.lua http://127.0.0.1:8080/api/v1/watch -- TOKEN_FILE [DELAY_MS [ENCODING]]
--
-- TOKEN_FILE holds the API token (read here so it never appears on a command line).
-- DELAY_MS > 0: every connection waits that long before each request (wrk's delay() hook;
-- a fraction is honoured on average: 3.4 waits 3 ms 60 % of the time and 4 ms 40 %).
-- Debian's wrk 4.1 has no --rate option; with C connections, C * 1000 / DELAY_MS requests/s is
-- the ceiling, and the rate reached is below it (each connection also waits for its answer).
-- ENCODING other than "-": sent as Accept-Encoding (e.g. gzip, as browsers do).
-- Latency is measured from the moment a request is sent, so the wait is not in it.
-- Prints one JSON line at the end, after wrk's own report.

local token = ""
local pause = 0
non2xx = 0  -- global: done() reads it from every thread
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  local f = assert(io.open(args[1], "r"), "cannot read the token file " .. tostring(args[1]))
  token = f:read("*l")
  f:close()
  pause = tonumber(args[2] or "0") or 0
  wrk.headers["Authorization"] = "Bearer " .. token
  local encoding = args[3] or "-"
  if encoding ~= "-" then wrk.headers["Accept-Encoding"] = encoding end
  -- wrk looks for delay() after init: without a wait, drop it so requests go out at once.
  if pause <= 0 then delay = nil end
end

function delay()
  return math.floor(pause + math.random())
end

function response(status, headers, body)
  if status < 200 or status > 299 then non2xx = non2xx + 1 end
end

function done(summary, latency, requests)
  local bad = 0
  for _, t in ipairs(threads) do bad = bad + (t:get("non2xx") or 0) end
  local e = summary.errors
  io.write(string.format(
    '{"requests":%d,"duration_us":%d,"bytes":%d,"non2xx":%d,"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},' ..
    '"latency_us":{"mean":%.1f,"max":%d,"p50":%d,"p90":%d,"p99":%d,"p999":%d}}\n',
    summary.requests, summary.duration, summary.bytes, bad, e.connect, e.read, e.write, e.status, e.timeout,
    latency.mean, latency.max, latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency:percentile(99.9)))
end
