-- wrk script: a GET with the caller's bearer token, and a JSON summary line when done.
-- The token comes from WRK_TOKEN (the environment, not argv: `ps` would show it).
-- The summary line starts with "WRK_JSON " and holds the counts and latency percentiles
-- (microseconds) that bench/load/wrk_run.py reads; wrk's own text report is printed too.

local token = os.getenv("WRK_TOKEN")
if token == nil or token == "" then
  error("WRK_TOKEN is not set")
end
wrk.headers["Authorization"] = "Bearer " .. token

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK_JSON {"requests": %d, "duration_us": %d, "bytes": %d, "connect": %d, "read": %d, '
      .. '"write": %d, "status": %d, "timeout": %d, "mean_us": %.1f, "p50_us": %d, '
      .. '"p90_us": %d, "p99_us": %d, "max_us": %d}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status,
    e.timeout, latency.mean, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max
  ))
end
