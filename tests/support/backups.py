"""`manage.py backup` and `restore` as an operator runs them (a process of their own), and the
database compared row by row before and after.

`every_row()` reads every table of every installed model (many-to-many tables included), so a
model added later is compared without changing a test.
"""

# Our own commands, no shell.
# ruff: noqa: S603

import os
import subprocess
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.apps import apps
from django.db import connection

from tests.support.live import PYTHON, REPO, Database


def every_row() -> dict[str, list[tuple]]:
    """Every row of every table of ours, by model label, ordered by primary key."""
    rows = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.proxy or not model._meta.managed:
            continue
        columns = [field.attname for field in model._meta.concrete_fields]
        rows[model._meta.label] = list(model._base_manager.order_by("pk").values_list(*columns))
    return rows


def own_database() -> Database:
    """The test run's own database, as a `Database` the commands can be pointed at."""
    config = connection.settings_dict
    if connection.vendor == "sqlite":
        return Database(sqlite_path=Path(config["NAME"]))
    return Database(url=_postgres_url(config["NAME"]))


def empty_database(name: str, folder: Path) -> Database:
    """A new, empty database beside the test database: a file that does not exist yet
    (SQLite) or a fresh PostgreSQL database `<test database>_<name>` (drop it after)."""
    if connection.vendor == "sqlite":
        return Database(sqlite_path=folder / f"{name}.sqlite3")
    return Database.postgres(
        f"{connection.settings_dict['NAME']}_{name}", server_url=_postgres_url("postgres")
    )


def _postgres_url(name: str) -> str:
    config = connection.settings_dict
    credentials = urllib.parse.quote(config["USER"] or "postgres", safe="")
    if config["PASSWORD"]:
        credentials += ":" + urllib.parse.quote(config["PASSWORD"], safe="")
    return f"postgres://{credentials}@{config['HOST']}:{config['PORT'] or 5432}/{name}"


def manage(
    *args: str,
    database: Database,
    backup_dir: Path,
    extra_env: dict | None = None,
    stdin: str = "",
) -> subprocess.CompletedProcess:
    """`manage.py ARGS` with the production settings and `database`, `stdin` typed in; never
    raises on failure."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DATABASE_", "SQLITE_", "BACKUP_", "POSTGRES_", "DJANGO_"))
    }
    env.update(
        SECRET_KEY="test-only-secret-key-not-used-anywhere-else",
        DEBUG="false",
        LOG_LEVEL="WARNING",
        BACKUP_DIR=str(backup_dir),
        **database.env(),
        **(extra_env or {}),
    )
    return subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=REPO,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
    )


@contextmanager
def connected_to(database: Database) -> Iterator[None]:
    """Inside, the test's connection (models, the test client) uses `database`. Needs
    `django_db(transaction=True)`."""
    saved = dict(connection.settings_dict)
    connection.close()
    _close_pool()  # a pool (PostgreSQL) keeps the database it was made for
    connection.settings_dict["NAME"] = database.name if database.url else database.sqlite_path
    try:
        yield
    finally:
        connection.close()
        _close_pool()
        connection.settings_dict.clear()
        connection.settings_dict.update(saved)


def _close_pool() -> None:
    if connection.vendor == "postgresql":
        connection.close_pool()
