"""Where a page's time goes, in-process: the pages of `make bench`, profiled with cProfile.

    python bench/profile_pages.py [--requests 200] [--rows 100000] [--top 25] [PAGE ...]

Makes a fresh database (a temporary SQLite file; `DATABASE_URL=postgres://.../scalpsafe_profile`
for PostgreSQL, dropped and made again), seeds it as bench/bench.py does (bench/seed.py), then
for each page: the mean time of a request through Django's WSGI handler with a seeded client's
cookies (production settings, no HTTP server; `--client`: through the test client, which also
copies every template context) and the functions where the time went. Query counts and their
SQL are checked by tests/serving/test_query_budgets.py. Pages: healthz, step, result, mine,
queue, operator.
"""

# ruff: noqa: T201, S603, S607

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import secrets
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def _environment(folder: Path) -> None:
    os.environ.update(
        DJANGO_SETTINGS_MODULE="scalpsafe.settings",
        DEBUG="false",
        SECRET_KEY=os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50),
        ALLOWED_HOSTS="testserver",
        SECURE_SSL_REDIRECT="false",
        SECURE_COOKIES="false",
        STATIC_ROOT=str(folder / "static"),
        LOG_LEVEL="ERROR",
    )
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        base, name = url.rsplit("/", 1)
        for sql in (f"DROP DATABASE IF EXISTS {name}", f"CREATE DATABASE {name}"):
            subprocess.run(["psql", f"{base}/postgres", "-qc", sql], check=True)
    else:
        os.environ["DATABASE_URL"] = f"sqlite:///{folder / 'profile.sqlite3'}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("pages", nargs="*")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--sort", default="cumulative")
    parser.add_argument("--sql", action="store_true", help="also list one request's queries")
    parser.add_argument("--match", help="only functions whose file:line(name) matches this regex")
    parser.add_argument("--callers", help="also list who calls the functions matching this regex")
    parser.add_argument(
        "--client",
        action="store_true",
        help="through Django's test client, as before: it copies every template context it sees",
    )
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="scalpsafe-profile-"))
    _environment(folder)

    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    call_command("collectstatic", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)

    from bench import seed
    from tests.support.questionnaire import (
        ALL_STEPS,
        EVERY_STEP_ANSWERS,
        agree,
        answer_steps,
        take_assessment,
    )

    class Args:
        pass

    def user(name: str, **options) -> Client:
        a = Args()
        a.name, a.password = name, secrets.token_urlsafe(12)
        a.staff, a.clinic, a.assessments = False, None, 0
        for key, value in options.items():
            setattr(a, key, value)
        seed.user(a)
        client = Client()
        client.force_login(seed.get_user_model().objects.get(username=name))
        return client

    started = time.monotonic()
    operator = user("bench-admin", staff=True)
    queue = user("bench-staff", clinic="bench")
    owner = user("bench-owner", assessments=200)
    midway = Client()
    agree(midway)
    answer_steps(midway, EVERY_STEP_ANSWERS, ALL_STEPS[:1])
    done = Client()
    result = take_assessment(done)
    fill = Args()
    fill.total, fill.shared_to = args.rows, "bench"
    print("seeded", seed.fill(fill), f"in {time.monotonic() - started:.0f} s")

    pages = {
        "healthz": (Client(), "/healthz"),
        "step": (midway, f"/assessment/{ALL_STEPS[1]}/"),
        "result": (done, result.get_absolute_url()),
        "mine": (owner, "/my/assessments/"),
        "queue": (queue, "/admin/clinics/share/"),
        "operator": (operator, "/admin/assessments/assessment/"),
    }
    for name in args.pages or pages:
        client, path = pages[name]
        for _ in range(3):
            response = client.get(path)
            assert response.status_code == 200, (name, response.status_code)
        if args.sql:
            _print_queries(client, path)
        get = client.get if args.client else _wsgi_get(client)
        began = time.perf_counter()
        for _ in range(args.requests):
            get(path)
        plain = (time.perf_counter() - began) / args.requests * 1000
        profile = cProfile.Profile()
        began = time.perf_counter()
        profile.enable()
        for _ in range(args.requests):
            get(path)
        profile.disable()
        per_request = (time.perf_counter() - began) / args.requests * 1000
        print(f"\n=== {name} {path}: {plain:.2f} ms a request ({per_request:.2f} ms profiled)")
        out = io.StringIO()
        stats = pstats.Stats(profile, stream=out).sort_stats(args.sort)
        stats.print_stats(*filter(None, [args.match]), args.top)
        if args.callers:
            stats.print_callers(args.callers)
        print(out.getvalue())


def _wsgi_get(client) -> Callable[[str], None]:
    """GET as gunicorn makes one: Django's WSGI handler (with its request_started and
    request_finished signals, so a connection is given back after each request as in
    production) and the client's cookies, but not the test client, whose listener copies each
    template's context (it would inflate templates). A path without a query string."""
    from django.core.handlers.wsgi import WSGIHandler
    from django.test.client import FakePayload

    handler = WSGIHandler()
    statuses = []

    def start_response(status, headers, exc_info=None):
        statuses.append(status)

    def get(path: str) -> None:
        environ = client._base_environ(PATH_INFO=path, **{"wsgi.input": FakePayload(b"")})
        body = handler(environ, start_response)
        b"".join(body)
        body.close()
        assert statuses.pop().startswith("200"), path

    return get


def _print_queries(client, path: str) -> None:
    """Each query of one request, with its time, slowest first."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        client.get(path)
    print(f"\n--- {len(queries)} queries of {path}")
    for query in sorted(queries.captured_queries, key=lambda q: -float(q["time"])):
        print(f"{float(query['time']) * 1000:7.2f} ms  {query['sql'][:400]}")


if __name__ == "__main__":
    main()
