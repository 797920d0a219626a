"""Benchmark, load test and fault scripts run against a real gunicorn (see docs/performance.md).

What they share with the tests (gunicorn, simulated people, the fault scenarios) is in
tests/support/live.py and tests/support/faults.py; what bench.py and cluster.py share (Redis,
nginx, the two-host cluster) is in bench/parts.py.
"""
