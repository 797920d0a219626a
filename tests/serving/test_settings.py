"""Settings come from the environment; bad values stop start-up with the variable's name."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from scalpsafe.env import env_bool, env_choice, env_int, env_list, env_str, env_url

REPO = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "x" * 20 + "a-long-random-production-secret-for-tests-0123456789",
    "ALLOWED_HOSTS": "scalpsafe.example.org",
    "CSRF_TRUSTED_ORIGINS": "https://scalpsafe.example.org",
    "SECURE_PROXY_SSL_HEADER": "true",
    "SITE_URL": "https://scalpsafe.example.org",
}


def load_settings(env: dict[str, str], *names: str) -> subprocess.CompletedProcess:
    """Import the settings in a fresh interpreter with exactly this environment."""
    code = (
        "import json, django; from django.conf import settings; django.setup(); "
        f"print(json.dumps({{n: str(getattr(settings, n)) for n in {list(names)!r}}}))"
    )
    clean = {k: v for k, v in os.environ.items() if k not in _SETTINGS_VARIABLES}
    return subprocess.run(
        [sys.executable, "-c", code],
        env={**clean, "DJANGO_SETTINGS_MODULE": "scalpsafe.settings", **env},
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )


# The browser tests' conftest sets DJANGO_ALLOW_ASYNC_UNSAFE for this whole process; a
# deployment never has it, and the deploy check rightly fails on it.
_SETTINGS_VARIABLES = {
    "DEBUG",
    "SECRET_KEY",
    "DATABASE_URL",
    "ALLOWED_HOSTS",
    "SQLITE_PATH",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "SITE_URL",
    # The scale-out settings (tests/serving/test_scale_out_settings.py).
    "REDIS_URL",
    "DATABASE_POOL_MIN_SIZE",
    "DATABASE_POOL_MAX_SIZE",
    "DATABASE_POOL_TIMEOUT",
    "DATABASE_CONN_MAX_AGE",
    "DATABASE_PREPARED_STATEMENTS",
    "GUNICORN_THREADS",
}


@pytest.mark.parametrize("value", ["maybe", "2", "tru", "enabled"])
def test_it_rejects_a_bad_boolean_naming_the_variable(value):
    with pytest.raises(ImproperlyConfigured, match=f"DEBUG={value!r}"):
        env_bool("DEBUG", False, environ={"DEBUG": value})


@pytest.mark.parametrize(
    ("value", "expected"),
    [("true", True), ("YES", True), ("1", True), ("off", False), ("0", False), ("", False)],
)
def test_it_reads_booleans(value, expected):
    assert env_bool("DEBUG", False, environ={"DEBUG": value}) is expected


def test_it_rejects_a_bad_number_naming_the_variable():
    with pytest.raises(ImproperlyConfigured, match="EMAIL_PORT='x25'"):
        env_int("EMAIL_PORT", 587, environ={"EMAIL_PORT": "x25"})
    with pytest.raises(ImproperlyConfigured, match="EMAIL_PORT='-1'"):
        env_int("EMAIL_PORT", 587, environ={"EMAIL_PORT": "-1"})


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("https://scalpsafe.example.org/", "https://scalpsafe.example.org"),
        ("http://localhost:8000", "http://localhost:8000"),
        ("", "http://default.example"),
    ],
)
def test_it_reads_a_site_address(value, expected):
    assert env_url("SITE_URL", "http://default.example", environ={"SITE_URL": value}) == expected


@pytest.mark.parametrize(
    "value", ["scalpsafe.example.org", "ftp://x.org", "https://x.org/app", "https://x.org/?a=1"]
)
def test_it_rejects_an_address_that_is_not_a_site_naming_the_variable(value):
    with pytest.raises(ImproperlyConfigured, match="SITE_URL="):
        env_url("SITE_URL", "http://default.example", environ={"SITE_URL": value})


def test_it_reads_lists_strings_and_choices():
    assert env_list("HOSTS", [], environ={"HOSTS": " a.org, ,b.org "}) == ["a.org", "b.org"]
    assert env_list("HOSTS", ["x"], environ={}) == ["x"]
    assert env_str("NAME", "default", environ={"NAME": "  "}) == "default"
    assert env_choice("LOG_LEVEL", "INFO", ("INFO", "DEBUG"), environ={"LOG_LEVEL": "DEBUG"})
    with pytest.raises(ImproperlyConfigured, match="LOG_LEVEL='LOUD'"):
        env_choice("LOG_LEVEL", "INFO", ("INFO", "DEBUG"), environ={"LOG_LEVEL": "LOUD"})


@pytest.mark.system
def test_it_refuses_to_start_with_a_bad_debug_value():
    result = load_settings({"DEBUG": "maybe"}, "DEBUG")
    assert result.returncode != 0
    assert "DEBUG='maybe'" in result.stderr


@pytest.mark.system
def test_it_requires_a_secret_key_when_debug_is_off():
    result = load_settings({}, "DEBUG")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


@pytest.mark.system
def test_debug_is_off_unless_asked_for():
    result = load_settings({"SECRET_KEY": "k" * 60}, "DEBUG", "SESSION_COOKIE_SECURE")
    assert json.loads(result.stdout) == {"DEBUG": "False", "SESSION_COOKIE_SECURE": "True"}


@pytest.mark.system
def test_development_mode_supplies_a_key():
    result = load_settings({"DEBUG": "true"}, "DEBUG", "SECRET_KEY", "SECURE_SSL_REDIRECT")
    values = json.loads(result.stdout)
    assert values["DEBUG"] == "True"
    assert values["SECRET_KEY"].startswith("django-insecure")
    assert values["SECURE_SSL_REDIRECT"] == "False"


@pytest.mark.system
def test_database_url_selects_postgresql_and_unset_means_sqlite(tmp_path):
    pg = load_settings(
        {**PRODUCTION_ENV, "DATABASE_URL": "postgres://u@db.internal:5432/scalpsafe"}, "DATABASES"
    )
    assert "'ENGINE': 'scalpsafe.postgresql'" in pg.stdout
    assert "db.internal" in pg.stdout
    sqlite = load_settings(
        {**PRODUCTION_ENV, "SQLITE_PATH": str(tmp_path / "x.sqlite3")}, "DATABASES"
    )
    assert "django.db.backends.sqlite3" in sqlite.stdout
    assert "IMMEDIATE" in sqlite.stdout


@pytest.mark.system
def test_a_sqlite_database_url_gets_the_same_tuning_as_the_default_file(tmp_path):
    # Without IMMEDIATE, the busy timeout and WAL, the task worker and a final submit writing at
    # once made the submit fail with "database is locked".
    path = tmp_path / "x.sqlite3"
    default = load_settings({**PRODUCTION_ENV, "SQLITE_PATH": str(path)}, "DATABASES")
    from_url = load_settings({**PRODUCTION_ENV, "DATABASE_URL": f"sqlite:///{path}"}, "DATABASES")
    assert from_url.returncode == 0, from_url.stderr
    assert "IMMEDIATE" in from_url.stdout
    assert "journal_mode=WAL" in from_url.stdout

    # Identical but for the test database's name, which holds each process's id.
    def without_pid(out):
        return re.sub(r"test-\d+\.sqlite3", "test-PID.sqlite3", out)

    assert without_pid(from_url.stdout) == without_pid(default.stdout)


@pytest.mark.system
@pytest.mark.parametrize("url", ["sqlite://", "sqlite:///:memory:"])
def test_a_sqlite_database_url_in_memory_is_refused(url):
    # The web server and the task worker are two processes: a memory database is two databases.
    result = load_settings({**PRODUCTION_ENV, "DATABASE_URL": url}, "DATABASES")
    assert result.returncode != 0
    assert "DATABASE_URL: a SQLite database must be a file" in result.stderr


@pytest.mark.system
def test_the_default_sqlite_file_is_git_ignored():
    ignored = subprocess.run(
        ["git", "check-ignore", "-q", "var/scalpsafe.sqlite3"], cwd=REPO, check=False
    )
    assert ignored.returncode == 0


def test_sessions_are_stored_in_the_database(settings):
    # Read through the shared cache (Redis) when there is one; always written to the database.
    assert (
        "scalpsafe.cached_db_sessions" if os.environ.get("REDIS_URL") else "scalpsafe.db_sessions"
    ) == settings.SESSION_ENGINE


@pytest.mark.system
def test_the_deploy_check_passes_under_the_documented_production_environment():
    clean = {k: v for k, v in os.environ.items() if k not in _SETTINGS_VARIABLES}
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env={**clean, **PRODUCTION_ENV},
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr + result.stdout
