"""Log-in records (django-axes): a name that matches no account is never stored in clear, lock-outs
work the same for made-up names, and records older than AXES_RETENTION_DAYS are purged nightly."""

from datetime import timedelta
from io import StringIO

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.core.management import call_command
from django.db import models
from django.test import Client
from django.utils import timezone

from scalpsafe.login_records import UNKNOWN_PREFIX, axes_username, hashed_login
from tests.serving.test_settings import PRODUCTION_ENV, load_settings

pytestmark = pytest.mark.django_db

LOGIN_URLS = ["/accounts/login/", "/admin/login/"]
MADE_UP = "ghost.visitor@example.net"
# The site's log-in takes usernames only (an address there is refused before any password check,
# and so never counted or stored): its made-up name is one that could be a username.
MADE_UP_AT = {"/accounts/login/": "ghost.visitor", "/admin/login/": MADE_UP}


def attempt(client: Client, url: str, username: str, password: str, ip: str = "10.0.0.1"):
    # The site's log-in (allauth) names its field "login"; the admin's, "username".
    field = "login" if url.startswith("/accounts/") else "username"
    return client.post(url, {field: username, "password": password}, REMOTE_ADDR=ip)


def stored_text() -> list[str]:
    """Every text value in every axes table, whatever models the installed version has."""
    values = []
    for model in apps.get_app_config("axes").get_models():
        fields = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField)
        ]
        for row in model.objects.values_list(*fields):
            values.extend(str(value) for value in row if value is not None)
    return values


@pytest.fixture
def failure_log(settings):
    # Off by default; turned on here so the test covers the table too.
    settings.AXES_ENABLE_ACCESS_FAILURE_LOG = True


@pytest.mark.parametrize("url", LOGIN_URLS)
def test_it_never_stores_a_made_up_username_in_clear(client, owner, failure_log, url):
    made_up = MADE_UP_AT[url]
    for _ in range(6):
        attempt(client, url, made_up, "a-password-typed-by-mistake")
        attempt(client, url, MADE_UP, "a-password-typed-by-mistake")
    assert AccessAttempt.objects.exists() and AccessFailureLog.objects.exists()
    text = "\n".join(stored_text())
    assert MADE_UP not in text
    assert "ghost.visitor" not in text
    assert "a-password-typed-by-mistake" not in text
    assert hashed_login(made_up) in set(AccessAttempt.objects.values_list("username", flat=True))


def test_it_stores_an_existing_username_as_it_is(client, owner, failure_log):
    attempt(client, "/accounts/login/", "owner", "wrong")
    assert AccessAttempt.objects.get().username == "owner"
    assert AccessFailureLog.objects.get().username == "owner"
    assert attempt(client, "/accounts/login/", "owner", "owner-password-1234").status_code == 302
    assert AccessLog.objects.get().username == "owner"


def test_an_account_email_counts_for_that_account_and_a_made_up_one_is_hashed(owner):
    assert axes_username(None, {"username": "owner"}) == "owner"
    assert axes_username(None, {"email": "OWNER@example.org"}) == "owner"
    hashed = axes_username(None, {"username": MADE_UP})
    assert hashed == hashed_login(MADE_UP) and hashed.startswith(UNKNOWN_PREFIX)
    assert len(hashed) <= AccessAttempt._meta.get_field("username").max_length
    assert axes_username(None, {"username": "owner2"}) != axes_username(
        None, {"username": "owner3"}
    )


def test_it_reads_the_name_from_the_form_when_the_credentials_lack_one(owner, rf):
    # allauth's log-in form calls its field "login"; a password check may pass no name.
    assert axes_username(rf.post("/", {"login": "owner"}), {"password": "x"}) == "owner"
    assert axes_username(rf.post("/", {"login": MADE_UP}), None) == hashed_login(MADE_UP)
    assert axes_username(rf.post("/", {}), {"password": "x"}) is None


def test_the_hash_is_keyed_with_the_secret_key(settings):
    before = hashed_login(MADE_UP)
    settings.SECRET_KEY = "another-secret-key-for-this-test-only-0123456789"
    assert hashed_login(MADE_UP) != before


@pytest.mark.parametrize("url", LOGIN_URLS)
def test_a_made_up_username_is_locked_out_exactly_like_a_real_one(owner, url):
    answers = {}
    # From two addresses: allauth's own limit on failures per client address would otherwise
    # answer the second name before axes is asked.
    for ip, name in (("10.0.0.1", "owner"), ("10.0.0.2", MADE_UP_AT[url])):
        client = Client()
        statuses = [attempt(client, url, name, "wrong", ip).status_code for _ in range(5)]
        locked = attempt(client, url, name, "wrong", ip)
        answers[name] = (
            statuses,
            locked.status_code,
            "Too many failed log-in attempts" in locked.content.decode(),
        )
    assert answers["owner"] == answers[MADE_UP_AT[url]] == ([200, 200, 200, 200, 429], 429, True)
    # The real owner, right password, still waits out the lock.
    assert attempt(Client(), url, "owner", "owner-password-1234", "10.0.0.1").status_code == 429


@pytest.mark.parametrize("url", LOGIN_URLS)
def test_changing_the_letters_case_does_not_start_a_fresh_count(owner, url):
    # Log-in matches usernames whatever their case, so the lock-out must count them as one.
    client = Client()
    names = ["owner", "OWNER", "Owner", "oWner", "owNer"]
    statuses = [attempt(client, url, name, "wrong").status_code for name in names]

    assert statuses == [200, 200, 200, 200, 429]
    for name in ("OWNER", "owner", "Owner"):
        assert attempt(Client(), url, name, "owner-password-1234").status_code == 429
    # The same for a made-up name (from another address: allauth limits failures per address).
    ghost = [
        attempt(Client(), url, name, "x", "10.0.0.3").status_code
        for name in ("Gh0st", "GH0ST", "gh0st", "gH0st", "Gh0ST")
    ]
    assert ghost == [200, 200, 200, 200, 429]


def _record(model, days_ago: int, **fields):
    row = model.objects.create(
        username="owner",
        ip_address="10.0.0.1",
        user_agent=f"agent {days_ago}",  # AccessAttempt is unique per name, address and agent
        http_accept="*/*",
        **fields,
    )
    model.objects.filter(pk=row.pk).update(attempt_time=timezone.now() - timedelta(days=days_ago))
    return row


def _records(days_ago: int) -> list:
    return [
        _record(AccessAttempt, days_ago, get_data="", post_data="", failures_since_start=1),
        _record(AccessLog, days_ago),
        _record(AccessFailureLog, days_ago),
    ]


def _remaining() -> set:
    return {
        (type(r), r.pk)
        for m in (AccessAttempt, AccessLog, AccessFailureLog)
        for r in m.objects.all()
    }


def test_the_nightly_purge_deletes_log_in_records_older_than_the_retention(settings):
    settings.AXES_RETENTION_DAYS = 90
    _records(91)
    recent = _records(89)
    out = StringIO()
    call_command("purge_old_assessments", stdout=out)
    assert "Deleted 3 log-in record(s) older than 90 days." in out.getvalue()
    assert _remaining() == {(type(r), r.pk) for r in recent}


def test_a_dry_run_only_counts_them(settings):
    settings.AXES_RETENTION_DAYS = 30
    _records(31)
    _records(1)
    out = StringIO()
    call_command("purge_old_assessments", "--dry-run", stdout=out)
    assert "3 log-in record(s) older than 30 days would be deleted." in out.getvalue()
    assert len(_remaining()) == 6


@pytest.mark.system
def test_the_retention_defaults_to_90_days():
    result = load_settings(PRODUCTION_ENV, "AXES_RETENTION_DAYS")
    assert result.returncode == 0, result.stderr
    assert '"AXES_RETENTION_DAYS": "90"' in result.stdout
    result = load_settings({**PRODUCTION_ENV, "AXES_RETENTION_DAYS": "30"}, "AXES_RETENTION_DAYS")
    assert '"AXES_RETENTION_DAYS": "30"' in result.stdout


@pytest.mark.system
@pytest.mark.parametrize("value", ["ninety", "0", "-5", "1.5"])
def test_a_bad_retention_stops_start_up_naming_the_setting(value):
    result = load_settings({**PRODUCTION_ENV, "AXES_RETENTION_DAYS": value}, "AXES_RETENTION_DAYS")
    assert result.returncode != 0
    assert f"AXES_RETENTION_DAYS={value!r}" in result.stderr
