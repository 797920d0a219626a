"""Shared fixtures: the settings every test runs with, the cast of people, and a few tools.

Tests run with production-like settings (DEBUG off). The cast, one place for every area:

- `owner`: a signed-in person with their own assessments; `owner_client` is logged in as them;
- `someone_else`: another signed-in person, who must never see the owner's data;
- `clinic` and `other_clinic`: two active clinics; `clinic_staff` works for `clinic` (the
  admin's queue of what was sent to it), `staff_client` logs in as them; `other_clinic_staff`
  works for `other_clinic` only and must never see `clinic`'s queue;
- the superuser is pytest-django's `admin_user`, with `admin_client` logged in as them;
- an anonymous visitor is pytest-django's `client` (or any new `Client()`: its own browser
  session).

Their assessments are built in tests/support/assessments.py (`save_assessment`, the flagged and
hard-stop answer sets); the questionnaire is taken over HTTP with tests/support/questionnaire.py.
"""

import os
import threading
from collections.abc import Iterator

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache
from django.core.cache.backends.redis import RedisCache
from django.db import connections
from django.test import Client, override_settings
from pytest_django.live_server_helper import LiveServer

from assessments import result_frame
from clinics.models import Clinic
from clinics.services import CLINIC_STAFF_GROUP
from scalpsafe.templatetags import site_header
from tests.support.emails import clock, smtp_down, smtp_server  # noqa: F401 (fixtures)
from tests.support.skips import report_skipped_suites

# pytester runs a small inner test session (tests/dev/test_skip_summary.py).
pytest_plugins = ["pytester"]


def pytest_terminal_summary(terminalreporter) -> None:
    # At the very end of `make test`: which suites did not run, and the command that fixes it.
    report_skipped_suites(terminalreporter)


@pytest.fixture(autouse=True)
def _test_settings(settings):
    # Production redirects to HTTPS and serves hashed static names from collectstatic's manifest.
    # The test client speaks plain HTTP and nothing has been collected, so relax those two;
    # tests/serving/test_static.py and test_settings.py cover the production behaviour itself.
    settings.SECURE_SSL_REDIRECT = False
    # Tests create many users; a deliberately slow password hash would dominate their time.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


# One key prefix per test process, for every cache alias: two test runs (or xdist workers) that
# share one Redis (REDIS_URL) never read or empty each other's keys. Set before any cache is used.
TEST_CACHE_PREFIX = f"test-{os.getpid()}"
for _config in settings.CACHES.values():
    _config["KEY_PREFIX"] = "-".join(filter(None, [_config.get("KEY_PREFIX"), TEST_CACHE_PREFIX]))


# A request's database connection goes back to PostgreSQL's pool when the request ends
# (Django's request_finished), which the test client skips to keep each test's transaction. A
# thread started by a test (concurrent submits, sends, purges) returns its connections as it ends,
# as a gunicorn thread does after each request; else each one would stay checked out of the pool.
if any(db.get("OPTIONS", {}).get("pool") for db in settings.DATABASES.values()):
    _thread_run = threading.Thread.run

    def _run_then_return_connections(self) -> None:
        try:
            _thread_run(self)
        finally:
            connections.close_all()

    threading.Thread.run = _run_then_return_connections


def cache_empty(cache) -> None:
    """Empty `cache` of this test process's keys only: Redis's own clear() is FLUSHDB, which would
    empty every other run's keys (and a running site's) on the same database."""
    if isinstance(cache, RedisCache):
        client = cache._cache.get_client(write=True)
        keys = list(client.scan_iter(match=f"{cache.key_prefix}:*", count=1000))
        if keys:
            client.delete(*keys)
    else:
        cache.clear()


@pytest.fixture(autouse=True)
def _empty_caches(request):
    # Without this, a page cached by one test would be served to the next, and a test's outcome
    # would depend on their order. Memory and Redis are emptied before every test (Redis of this
    # process's keys only, as it outlives the test's transaction).
    for cache in caches.all():
        if not isinstance(cache, DatabaseCache):
            cache_empty(cache)
    site_header.forget_kept_headers()  # the signed-out header each process keeps
    result_frame.forget_kept_frames()  # and the signed-out result page's frame
    # The shared cache as a table (allauth's rate limits, without REDIS_URL): rolled back with
    # each test's transaction, but a test that commits leaves its rows, and a flush leaves that
    # table.
    marker = request.node.get_closest_marker("django_db")
    commits = marker is not None and marker.kwargs.get("transaction")
    if isinstance(caches["default"], DatabaseCache) and (
        commits or "transactional_db" in request.fixturenames
    ):
        request.getfixturevalue("transactional_db")
        caches["default"].clear()


def _person(django_user_model, username: str, email: str, password: str):
    # Their address is confirmed (allauth's EmailAddress), as it is once someone has signed up.
    user = django_user_model.objects.create_user(username, email, password)
    EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)
    return user


@pytest.fixture
def owner(django_user_model):
    return _person(django_user_model, "owner", "owner@example.org", "owner-password-1234")


@pytest.fixture
def someone_else(django_user_model):
    return _person(django_user_model, "someone", "someone@example.org", "someone-password-1234")


@pytest.fixture
def clinic(db) -> Clinic:
    return Clinic.objects.create(
        name="North Hair Clinic",
        slug="north",
        phone="020 7946 0001",
        email="hello@north.example",
        notify_email="queue@north.example",
    )


@pytest.fixture
def other_clinic(db) -> Clinic:
    return Clinic.objects.create(
        name="South Skin Clinic", slug="south", notify_email="queue@south.example"
    )


def _staff_member(django_user_model, username: str, clinic: Clinic):
    user = django_user_model.objects.create_user(
        username, f"{username}@example.org", f"{username}-password-1234", is_staff=True
    )
    # The group comes from a data migration (assessments 0003), as in production.
    user.groups.add(Group.objects.get(name=CLINIC_STAFF_GROUP))
    clinic.members.add(user)
    return user


@pytest.fixture
def clinic_staff(django_user_model, clinic):
    return _staff_member(django_user_model, "staff", clinic)


@pytest.fixture
def other_clinic_staff(django_user_model, other_clinic):
    return _staff_member(django_user_model, "otherstaff", other_clinic)


@pytest.fixture
def staff_client(client, clinic_staff):
    """The test client, logged in as the clinic staff member."""
    client.force_login(clinic_staff)
    return client


@pytest.fixture
def owner_client(owner) -> Client:
    """A test client of its own, logged in as the owner."""
    client = Client()
    client.force_login(owner)
    return client


def _close_pool(connection) -> None:
    if connection.vendor == "postgresql":
        connection.close_pool()


@pytest.fixture
def unreachable_database(tmp_path):
    """A context manager: inside it the default database cannot be reached; after it, it can.

    Points the live connection at a file in a missing folder (SQLite) or a closed port
    (PostgreSQL): the real driver fails the real way. Needs `django_db(transaction=True)`.
    """
    from contextlib import contextmanager

    from django.db import connection

    @contextmanager
    def cut():
        saved = dict(connection.settings_dict)
        connection.close()
        # A pool (PostgreSQL) keeps the address it was made with: make the next one anew.
        _close_pool(connection)
        if connection.vendor == "sqlite":
            connection.settings_dict["NAME"] = str(tmp_path / "no" / "such.db")
        else:
            # Nothing listens on port 1: the connection is refused at once.
            connection.settings_dict.update(HOST="127.0.0.1", PORT="1")
        try:
            yield
        finally:
            connection.close()
            _close_pool(connection)
            connection.settings_dict.clear()
            connection.settings_dict.update(saved)

    return cut


@pytest.fixture(scope="session")
def live_server(request: pytest.FixtureRequest) -> Iterator[LiveServer]:
    """pytest-django's live server, started without the redirect to HTTPS.

    The server builds its middleware once, when it starts, and SecurityMiddleware reads
    SECURE_SSL_REDIRECT then: the per-test `settings` change in tests/conftest.py comes too late
    for it, and every page would redirect to an https:// address nothing answers. Only the start
    is overridden, so no other test sees the change.
    """
    address = (
        request.config.getvalue("liveserver")
        or os.getenv("DJANGO_LIVE_TEST_SERVER_ADDRESS")
        or "localhost"
    )
    with override_settings(SECURE_SSL_REDIRECT=False):
        server = LiveServer(address)
    yield server
    server.stop()
