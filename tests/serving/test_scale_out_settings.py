"""The scale-out settings (README "Deploying", docs/scaling.md): REDIS_URL for the caches and the
sessions, and PostgreSQL's connection pool, each read in a fresh interpreter."""

import json
import os
import subprocess
import sys

import pytest

from tests.serving.test_settings import _SETTINGS_VARIABLES, PRODUCTION_ENV, REPO

PG = "postgres://u@db.internal:5432/scalpsafe"

_SHOW = """
import json, django
from django.conf import settings
from django.core.cache.backends.redis import RedisCache
from django.utils.module_loading import import_string
django.setup()
db = settings.DATABASES["default"]
pool = db.get("OPTIONS", {}).get("pool")
print(json.dumps({
    "caches": {alias: c["BACKEND"].rsplit(".", 1)[1] for alias, c in settings.CACHES.items()},
    "djangos_redis_cache": sorted(
        alias for alias, c in settings.CACHES.items()
        if issubclass(import_string(c["BACKEND"]), RedisCache)
    ),
    "locations": sorted({str(c.get("LOCATION")) for c in settings.CACHES.values()}),
    "parser": settings.CACHES["default"].get("OPTIONS", {}).get("parser_class"),
    "sessions": settings.SESSION_ENGINE.removeprefix("django.contrib.sessions.backends."),
    "conn_max_age": db.get("CONN_MAX_AGE"),
    "pool": pool,
    "health_checks": db.get("CONN_HEALTH_CHECKS"),
    "prepared": {
        key: db.get("OPTIONS", {}).get(key) for key in ("server_side_binding", "prepare_threshold")
    },
    "cursor": getattr(db.get("OPTIONS", {}).get("cursor_factory"), "__name__", None),
}))
"""


def _settings_process(env: dict[str, str]) -> subprocess.CompletedProcess:
    """A new process loading the settings under `env` (and the production environment)."""
    clean = {k: v for k, v in os.environ.items() if k not in _SETTINGS_VARIABLES}
    return subprocess.run(
        [sys.executable, "-c", _SHOW],
        env={**clean, "DJANGO_SETTINGS_MODULE": "scalpsafe.settings", **PRODUCTION_ENV, **env},
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )


def shown(env: dict[str, str]) -> dict:
    result = _settings_process(env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def refused(env: dict[str, str]) -> str:
    result = _settings_process(env)
    assert result.returncode != 0
    return result.stderr


pytestmark = pytest.mark.system


def test_without_redis_the_cache_is_a_table_and_memory_and_sessions_are_in_the_database():
    settings = shown({})
    assert settings["caches"] == {
        "default": "DatabaseCache",
        "pages": "LocMemCache",
        "forms": "LocMemCache",
    }
    assert settings["djangos_redis_cache"] == []
    assert settings["sessions"] == "scalpsafe.db_sessions"


def test_redis_url_puts_the_shared_caches_and_the_sessions_in_redis_with_hiredis():
    settings = shown({"REDIS_URL": "redis://cache.internal:6379/2"})
    # The blank forms stay in each process: the same for everyone, never to be deleted.
    assert settings["caches"] == {
        "default": "RedisCache",
        "pages": "RedisCache",
        "forms": "LocMemCache",
    }
    # Django's own Redis cache (scalpsafe.redis_cache only shares one client per pool).
    assert settings["djangos_redis_cache"] == ["default", "pages"]
    assert settings["locations"] == ["redis://cache.internal:6379/2", "scalpsafe-forms"]
    assert settings["parser"] == "redis.connection._HiredisParser"
    assert settings["sessions"] == "scalpsafe.cached_db_sessions"


def test_the_hiredis_parser_named_in_the_settings_is_there():
    from django.utils.module_loading import import_string
    from redis.utils import HIREDIS_AVAILABLE

    assert HIREDIS_AVAILABLE
    import_string("redis.connection._HiredisParser")


@pytest.mark.parametrize("url", ["http://cache.internal:6379", "cache.internal:6379"])
def test_a_redis_url_that_is_not_redis_is_refused_naming_the_variable(url):
    assert "REDIS_URL=" in refused({"REDIS_URL": url})


def test_postgresql_connections_are_pooled_by_default_one_per_thread():
    settings = shown({"DATABASE_URL": PG})
    assert settings["pool"] == {
        "min_size": 1,
        "max_size": 4,
        "timeout": 10,
        "reconnect_timeout": 10,
    }
    # Django has the pool check a connection before handing it out.
    assert settings["health_checks"]
    # Django refuses a pool beside persistent connections.
    assert settings["conn_max_age"] == 0
    # The pool's maximum follows the gunicorn threads it serves.
    assert shown({"DATABASE_URL": PG, "GUNICORN_THREADS": "8"})["pool"]["max_size"] == 8


def test_the_pool_is_sized_from_the_environment_and_conn_max_age_is_ignored():
    settings = shown(
        {
            "DATABASE_URL": PG,
            "DATABASE_POOL_MIN_SIZE": "2",
            "DATABASE_POOL_MAX_SIZE": "6",
            "DATABASE_POOL_TIMEOUT": "3",
            "DATABASE_CONN_MAX_AGE": "600",
        }
    )
    assert settings["pool"] == {
        "min_size": 2,
        "max_size": 6,
        "timeout": 3,
        "reconnect_timeout": 3,
    }
    assert settings["conn_max_age"] == 0


def test_a_pool_of_size_zero_turns_pooling_off_and_conn_max_age_back_on():
    settings = shown(
        {"DATABASE_URL": PG, "DATABASE_POOL_MAX_SIZE": "0", "DATABASE_CONN_MAX_AGE": "30"}
    )
    assert settings["pool"] is None
    assert settings["conn_max_age"] == 30
    assert shown({"DATABASE_URL": PG, "DATABASE_POOL_MAX_SIZE": "0"})["conn_max_age"] == 60


def test_a_pool_smaller_than_its_minimum_is_refused():
    error = refused(
        {"DATABASE_URL": PG, "DATABASE_POOL_MIN_SIZE": "5", "DATABASE_POOL_MAX_SIZE": "2"}
    )
    assert "DATABASE_POOL_MIN_SIZE=5" in error


def test_postgresql_prepares_its_statements_unless_told_not_to():
    assert shown({"DATABASE_URL": PG})["prepared"] == {
        "server_side_binding": True,
        "prepare_threshold": 5,
    }
    assert shown({"DATABASE_URL": PG})["cursor"] == "PreparedStatementsCursor"
    # For a PgBouncer in transaction mode older than 1.21 (docs/scaling.md): Django's defaults.
    assert shown({"DATABASE_URL": PG, "DATABASE_PREPARED_STATEMENTS": "false"})["prepared"] == {
        "server_side_binding": None,
        "prepare_threshold": None,
    }
    assert shown({"DATABASE_URL": PG, "DATABASE_PREPARED_STATEMENTS": "false"})["cursor"] is None


def test_sqlite_has_no_pool():
    assert shown({})["pool"] is None
