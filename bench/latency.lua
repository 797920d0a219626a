-- wrk reporter for bench/bench.py: one line of JSON with throughput, percentiles (p95 included,
-- which wrk's own --latency output lacks) and error counts. Times are in microseconds.
done = function(summary, latency, requests)
  io.write(string.format(
    'BENCH-JSON {"requests": %d, "duration_us": %d, "mean_us": %.1f, "p50_us": %d, ' ..
    '"p95_us": %d, "p99_us": %d, "max_us": %d, "errors_connect": %d, "errors_read": %d, ' ..
    '"errors_write": %d, "errors_status": %d, "errors_timeout": %d}\n',
    summary.requests, summary.duration, latency.mean, latency:percentile(50),
    latency:percentile(95), latency:percentile(99), latency.max, summary.errors.connect,
    summary.errors.read, summary.errors.write, summary.errors.status, summary.errors.timeout))
end
