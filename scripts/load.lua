-- wrk script for scripts/load.sh: a mix of index, listing, article,
-- search, feed and asset requests, and a tally of the statuses that are
-- not 2xx/3xx (wrk's own "Non-2xx or 3xx responses" counts 3xx as bad).
--
-- The paths come from the LOAD_PATHS file (one per line, written by
-- load.sh from the running site), each request picks one at random with a
-- fixed seed per thread so runs are comparable.

local paths = {}
local threads = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
  table.insert(threads, thread)
end

function init(args)
  local file = assert(io.open(os.getenv("LOAD_PATHS") or "load-paths.txt", "r"))
  for line in file:lines() do
    if line ~= "" then table.insert(paths, line) end
  end
  file:close()
  math.randomseed(1000 + id)
  bad = 0
  statuses = {}
end

function request()
  local path = paths[math.random(#paths)]
  return wrk.format("GET", path, { ["Accept-Encoding"] = "br, gzip" })
end

function response(status, headers, body)
  if status >= 400 then
    bad = bad + 1
    statuses[status] = (statuses[status] or 0) + 1
  end
end

function done(summary, latency, requests)
  local total_bad = 0
  local by_status = {}
  for _, thread in ipairs(threads) do
    total_bad = total_bad + thread:get("bad")
    for status, n in pairs(thread:get("statuses")) do
      by_status[status] = (by_status[status] or 0) + n
    end
  end
  local errors = summary.errors
  io.write(string.format("requests %d, %.0f req/s, p50 %.2f ms, p99 %.2f ms, max %.2f ms\n",
    summary.requests, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
  io.write(string.format("socket errors: connect %d, read %d, write %d, timeout %d\n",
    errors.connect, errors.read, errors.write, errors.timeout))
  io.write(string.format("responses not 2xx/3xx: %d\n", total_bad))
  for status, n in pairs(by_status) do
    io.write(string.format("  status %d: %d\n", status, n))
  end
end
