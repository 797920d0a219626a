"""allauth's rate limits on sign-up, log-in and password reset: per client address and per email
address or username, with the same answer whichever was hit (settings.ACCOUNT_RATE_LIMITS)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
import redis
from asgiref.local import Local
from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache
from django.core.cache.backends.redis import RedisCache
from django.db import connection
from django.test import Client

from tests.conftest import TEST_CACHE_PREFIX
from tests.support.accounts import PASSWORD, log_in, sign_up
from tests.support.emails import queued_emails

pytestmark = pytest.mark.django_db

TOO_MANY_REQUESTS = "There have been too many requests like this one"
TOO_MANY_LOG_INS = "Too many failed login attempts. Try again later."


def test_sign_ups_from_one_address_are_limited(client):
    for n in range(20):
        assert sign_up(client, username=f"person{n}").status_code == 302
    response = sign_up(client, username="one-more")
    assert response.status_code == 429
    assert TOO_MANY_REQUESTS in response.content.decode()
    assert sign_up(Client(REMOTE_ADDR="10.1.1.1"), username="elsewhere").status_code == 302


def test_sign_ups_with_one_email_address_send_one_email_every_few_minutes(client, owner):
    # A taken address, from ever-changing client addresses: the owner is warned once.
    for n in range(3):
        response = Client(REMOTE_ADDR=f"10.2.2.{n}").post(
            "/accounts/signup/",
            {
                "username": f"other{n}",
                "email": "owner@example.org",
                "password1": PASSWORD,
                "password2": PASSWORD,
            },
        )
        assert response["Location"] == "/accounts/confirm-email/"
    assert [e.to for e in queued_emails()] == [["owner@example.org"]]


def test_failed_log_ins_from_one_address_are_limited_whatever_the_username(client, someone_else):
    for n in range(10):
        log_in(client, f"guess{n}", "wrong")
    response = log_in(client, "someone", "someone-password-1234")
    assert response.status_code == 200
    assert TOO_MANY_LOG_INS in response.content.decode()


def test_failed_log_ins_for_one_username_are_limited_whatever_the_address(owner):
    # Each address stays under the lock-out (5), but the username has had 20 guesses.
    for n in range(20):
        log_in(Client(REMOTE_ADDR=f"10.3.{n}.1"), "owner", "wrong")
    response = log_in(Client(REMOTE_ADDR="10.3.99.1"), "owner", "owner-password-1234")
    assert response.status_code == 200
    assert TOO_MANY_LOG_INS in response.content.decode()


def test_log_ins_from_one_address_are_limited(client, owner):
    for _ in range(30):
        client.post("/accounts/logout/")
        assert log_in(client, "owner", "owner-password-1234").status_code == 302
    client.post("/accounts/logout/")
    response = log_in(client, "owner", "owner-password-1234")
    assert response.status_code == 429
    assert TOO_MANY_REQUESTS in response.content.decode()


@pytest.mark.parametrize("address", ["owner@example.org", "nobody@example.org"])
def test_password_resets_for_one_email_address_are_limited_the_same_way(client, owner, address):
    for n in range(5):
        reset = Client(REMOTE_ADDR=f"10.4.4.{n}").post(
            "/accounts/password/reset/", {"email": address}
        )
        assert reset["Location"] == "/accounts/password/reset/done/"
    response = client.post("/accounts/password/reset/", {"email": address})
    assert response.status_code == 429
    assert TOO_MANY_REQUESTS in response.content.decode()


def test_password_resets_from_one_address_are_limited(client):
    for n in range(20):
        client.post("/accounts/password/reset/", {"email": f"person{n}@example.org"})
    response = client.post("/accounts/password/reset/", {"email": "another@example.org"})
    assert response.status_code == 429
    assert TOO_MANY_REQUESTS in response.content.decode()


def test_the_counts_are_kept_where_every_worker_and_host_reads_them(client):
    """allauth counts in the default cache: a database table, or Redis with REDIS_URL, never one
    worker's memory, so a limit per address is one limit however many gunicorn workers (or
    hosts) serve the site."""
    client.post("/accounts/login/", {"login": "nobody-here", "password": "wrong"})
    cache = caches["default"]
    if isinstance(cache, RedisCache):
        # Read by a client of its own, as another host would.
        other = redis.Redis.from_url(settings.CACHES["default"]["LOCATION"])
        assert any(other.scan_iter(match=f"{cache.key_prefix}:*"))
    else:
        assert isinstance(cache, DatabaseCache)
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM scalpsafe_cache")
            assert cursor.fetchone()[0] > 0


def test_failed_log_ins_on_two_hosts_count_towards_one_limit(client, someone_else, monkeypatch):
    for n in range(5):
        log_in(client, f"guess{n}", "wrong")
    # Another host: its own cache objects and connections (nothing kept in this process's
    # memory carries over), the same shared cache behind them.
    monkeypatch.setattr(caches, "_connections", Local())
    other_host = Client()
    for n in range(5, 10):
        log_in(other_host, f"guess{n}", "wrong")
    response = log_in(other_host, "someone", "someone-password-1234")
    assert TOO_MANY_LOG_INS in response.content.decode()


# Another app host: a separate process, with the same settings, database and cache.
_OTHER_HOST = """
import os, sys, django
from django.conf import settings
django.setup()
for config in settings.CACHES.values():
    config["KEY_PREFIX"] = "-".join(filter(None, [config.get("KEY_PREFIX"), sys.argv[1]]))
settings.SECURE_SSL_REDIRECT = False
settings.STORAGES = {
    **settings.STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
from django.test import Client
client = Client()
for n in range(5):
    response = client.post("/accounts/login/", {"login": f"elsewhere{n}", "password": "wrong"})
    assert response.status_code == 200, response.status_code
"""


@pytest.mark.system
@pytest.mark.django_db(transaction=True)
def test_failed_log_ins_in_two_processes_count_towards_one_limit(client, someone_else):
    database = connection.settings_dict
    if database["ENGINE"].endswith("sqlite3"):
        url = f"sqlite:///{database['NAME']}"
    else:
        url = (
            f"postgres://{database['USER']}:{database['PASSWORD'] or ''}@{database['HOST']}:"
            f"{database['PORT']}/{database['NAME']}"
        )
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "ALLOWED_HOSTS": "testserver",
        "DJANGO_SETTINGS_MODULE": "scalpsafe.settings",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    other_host = subprocess.run(
        [sys.executable, "-c", _OTHER_HOST, TEST_CACHE_PREFIX],
        env=env,
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert other_host.returncode == 0, other_host.stderr[-3000:]
    for n in range(5):
        log_in(client, f"here{n}", "wrong")
    response = log_in(client, "someone", "someone-password-1234")
    assert TOO_MANY_LOG_INS in response.content.decode()
