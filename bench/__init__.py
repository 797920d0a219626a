"""Benchmark, load test and fault scripts run against a real gunicorn (see docs/performance.md).

What they share with the tests (gunicorn, simulated people, the fault scenarios) is in
tests/support/live.py and tests/support/faults.py.
"""
