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
# The master loads the site once and forks each worker from it, so a worker recycled by
# max_requests starts without importing Django and the site again (CPU taken from the requests
# being served, while it accepts nothing: docs/performance.md, tenth sitting), and with the
# project's templates compiled (scalpsafe/warm_up.py).
# Loading the site opens no database connection, pool or cache client, so none is shared
# through fork (tests/serving/test_gunicorn.py). A new release needs a restart of the master,
# not a HUP: with the site preloaded, HUP restarts the workers on the code already loaded.
preload_app = True
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
worker_class = "gthread"
workers = _int("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1)
threads = _int("GUNICORN_THREADS", 4)
# The most connections one worker holds at once (gthread). Gunicorn's default, 1000, lets the
# first worker to wake accept every connection of a burst, or all of a recycled worker's:
# measured under `make bench`, one worker then held all 32 connections on one core (its GIL)
# while the other core stood 50-70 % idle, halving a page's throughput in some runs
# (docs/performance.md). Three times the threads keeps a worker busy (its threads, and kept-alive
# connections up to the rest: gunicorn closes any more after their response) and spreads a burst
# over the workers; connections beyond every worker's share wait in the listen queue for the
# first free one.
worker_connections = _int("GUNICORN_WORKER_CONNECTIONS", 3 * threads)


def _refuse_a_cap_not_above(threads: int, worker_connections: int) -> None:
    if worker_connections <= threads:
        raise SystemExit(
            f"GUNICORN_WORKER_CONNECTIONS={worker_connections} (or --worker-connections) must be "
            f"more than the threads ({threads}), or no connection could be kept alive."
        )


# Checked here for the environment's values (so --check-config refuses them too), and again in
# on_starting (below) once gunicorn has read its command line as well.
_refuse_a_cap_not_above(threads, worker_connections)
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


def on_starting(server) -> None:
    """Refuse a worker that could keep no connection alive, with the settings gunicorn will
    really use: this file's, or a command line's (--threads, GUNICORN_CMD_ARGS) over them.
    gunicorn calls it before it forks any worker (after preloading the site)."""
    _refuse_a_cap_not_above(server.cfg.threads, server.cfg.worker_connections)


def when_ready(server) -> None:
    """In the master, once it has loaded the site (preload_app) and before it forks a worker:
    what it loaded (Django, the rulebook, every module) lives as long as the workers, so
    gc.freeze() moves it out of the garbage collector's way. Frozen before the fork, as Python's
    gc.freeze documents, so the workers' collections never write to those objects, and their
    memory pages stay shared with the master instead of being copied into each worker."""
    import gc

    gc.collect()
    gc.freeze()


def post_worker_init(worker) -> None:
    """Once a worker is ready, what it loaded beyond the master (the last imports) lives as long
    as the worker too: frozen as well, so collections walk only what requests make, not every
    module's objects. The pages that allocate most gained most in `make bench`
    (docs/performance.md)."""
    import gc

    gc.collect()
    gc.freeze()
