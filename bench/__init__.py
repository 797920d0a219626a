"""Benchmark, load test and fault scripts run against a real gunicorn (see docs/performance.md)."""
