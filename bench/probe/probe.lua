-- wrk script: drives blackbox_exporter's /probe endpoint.
--
-- wrk -t1 -cC -d600s -s probe.lua http://EXPORTER/ -- TARGETS_FILE MODULE COUNT
--
-- Cycles through the target URLs of TARGETS_FILE (one a line), asking the exporter
-- to probe each with MODULE, and stops after COUNT answers. An answer counts as a
-- successful probe only if its metrics say "probe_success 1".
-- Prints one line at the end: "probes=N ok=N failed=N non200=N" (followed by
-- " incomplete" if the -d duration ran out first).

local paths = {}
local next_idx = 1
local limit = 0
-- counters are globals so that done() can read them with thread:get()
answers = 0
ok = 0
failed = 0
non200 = 0
local threads = {}

local function urlencode(s)
  return (s:gsub("[^%w%-%._~]", function(c)
    return string.format("%%%02X", string.byte(c))
  end))
end

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  local file, module = args[1], args[2]
  limit = tonumber(args[3])
  for line in io.lines(file) do
    if #line > 0 then
      table.insert(paths, "/probe?module=" .. module .. "&target=" .. urlencode(line))
    end
  end
  if #paths == 0 then error("no targets in " .. file) end
end

function request()
  local p = paths[next_idx]
  next_idx = next_idx % #paths + 1
  return wrk.format("GET", p)
end

function response(status, headers, body)
  answers = answers + 1
  if status ~= 200 then
    non200 = non200 + 1
  elseif string.find(body, "\nprobe_success 1", 1, true) then
    ok = ok + 1
  else
    failed = failed + 1
  end
  if answers == limit then
    -- Done: report and end the process now. (wrk's thread:stop() only stops sending;
    -- wrk would still sleep out the whole -d duration.) The caller times the run.
    io.write(string.format("probes=%d ok=%d failed=%d non200=%d\n", answers, ok, failed, non200))
    io.flush()
    os.exit(0)
  end
end

function done(summary, latency, requests)
  -- reached only when the -d duration ran out before COUNT answers
  local t = threads[1]
  io.write(string.format("probes=%d ok=%d failed=%d non200=%d incomplete\n",
    t:get("answers"), t:get("ok"), t:get("failed"), t:get("non200")))
end
