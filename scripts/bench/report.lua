-- Appended to every wrk script of scripts/bench.sh: prints one machine-readable line when the run ends.
-- Latency percentiles come from wrk's own histogram (microseconds); errors split into responses that
-- were neither 2xx nor 3xx and socket errors (connect, read, write, timeout).
function done(summary, latency, requests)
    local seconds = summary.duration / 1e6
    local e = summary.errors
    io.write(string.format(
        "BENCH requests=%d rps=%.1f p50_ms=%.2f p99_ms=%.2f max_ms=%.2f status_errors=%d socket_errors=%d\n",
        summary.requests, summary.requests / seconds, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
        latency.max / 1000, e.status, e.connect + e.read + e.write + e.timeout))
end
