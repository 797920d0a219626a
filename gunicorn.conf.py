"""Gunicorn settings for `make serve` and production. Every value can be set from the environment.

gthread workers: each worker process serves several requests at once on threads, which suits a
Django app that mostly waits on its database.
"""

import multiprocessing
import os


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        number = int(value)
    except ValueError:
        raise SystemExit(f"{name}={value!r} is not a whole number.") from None
    if number < 1:
        raise SystemExit(f"{name}={value!r} must be at least 1.")
    return number


wsgi_app = "scalpsafe.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
worker_class = "gthread"
workers = _int("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1)
threads = _int("GUNICORN_THREADS", 4)
timeout = _int("GUNICORN_TIMEOUT", 30)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = _int("GUNICORN_KEEPALIVE", 5)
# Recycle workers now and then so that a slow leak can never grow without bound.
max_requests = _int("GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 200)
accesslog = "-"
errorlog = "-"
# The request line without the query string: query strings can carry personal data.
access_log_format = '%(h)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(L)ss'
# Private-link tokens are in paths (/r/<token>/): both logs write them as /r/….
logger_class = "clinics.log_redaction.RedactingGunicornLogger"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


def post_worker_init(worker) -> None:
    """Once a worker has loaded the site, what it loaded (Django, the URL configuration, the
    rulebook, every module) lives as long as the worker: gc.freeze() moves it out of the garbage
    collector's way, so collections walk only what requests make, not every module's objects.
    The pages that allocate most gained most in `make bench` (docs/performance.md)."""
    import gc

    gc.collect()
    gc.freeze()
