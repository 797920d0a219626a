"""`manage.py backup` and `restore` say what is wrong, and change nothing, when the file, the
moment, the tools or the permissions are wrong. On both databases."""

import os
import sqlite3
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from tests.support.backups import manage, own_database

pytestmark = [pytest.mark.system, pytest.mark.django_db(transaction=True)]
postgresql_only = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL"), reason="PostgreSQL's tools; DATABASE_URL selects it"
)


def _restore_error(path: Path) -> str:
    with pytest.raises(CommandError) as raised:
        call_command("restore", str(path), interactive=False)
    return str(raised.value)


def _sqlite_file(path: Path) -> Path:
    with sqlite3.connect(path) as database:
        database.execute("CREATE TABLE notes (text)")
    return path


def test_it_names_a_missing_file(tmp_path):
    assert _restore_error(tmp_path / "nope.sqlite3") == f"No such file: {tmp_path / 'nope.sqlite3'}"


def test_it_refuses_a_file_that_is_not_a_backup(tmp_path):
    text = tmp_path / "notes.txt"
    text.write_text("not a database\n" * 10)

    expected = "not an SQLite database" if connection.vendor == "sqlite" else "not a pg_dump"
    assert expected in _restore_error(text)


def test_it_refuses_a_database_that_is_not_ours(tmp_path):
    other = _sqlite_file(tmp_path / "other.sqlite3")

    message = _restore_error(other)
    if connection.vendor == "sqlite":
        assert "not a ScalpSafe one" in message
    else:
        assert "is an SQLite database, but this site's database is PostgreSQL" in message


def test_it_refuses_a_backup_of_the_other_kind_of_database(tmp_path):
    dump = tmp_path / "scalpsafe.pgdump"
    dump.write_bytes(b"PGDMP" + b"\x00" * 200)

    message = _restore_error(dump)
    if connection.vendor == "sqlite":
        assert "is a PostgreSQL backup (pg_dump), but this site's database is SQLite" in message
    else:
        assert "cannot be read as a pg_dump archive" in message


def test_it_refuses_to_restore_while_another_process_has_the_database_open(tmp_path):
    database = own_database()
    made = manage("backup", database=database, backup_dir=tmp_path)
    assert made.returncode == 0, made.stderr
    # This test process is the other process: its connection is open and has read.
    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM django_migrations")

    refused = manage(
        "restore", made.stdout.strip(), "--noinput", database=database, backup_dir=tmp_path
    )

    assert refused.returncode == 1
    assert "stop them and try again, or pass --force" in refused.stderr
    assert list(tmp_path.glob("*before-restore*")) == []


def test_it_restores_nothing_unless_the_operator_types_yes(tmp_path):
    database = own_database()
    made = manage("backup", database=database, backup_dir=tmp_path)
    assert made.returncode == 0, made.stderr
    # --force: this test process (and a live server's thread of an earlier test) may have the
    # database open, which would be refused before the question.
    cancelled = manage(
        "restore",
        made.stdout.strip(),
        "--force",
        database=database,
        backup_dir=tmp_path,
        stdin="no\n",
    )

    assert cancelled.returncode == 1
    assert "Type 'yes' to continue" in cancelled.stdout
    assert "Restore cancelled." in cancelled.stderr
    assert list(tmp_path.glob("*before-restore*")) == []


def test_it_says_when_the_backup_folder_cannot_be_written(tmp_path):
    if os.geteuid() == 0:
        # root writes anywhere but in sysfs, which refuses a new folder to everyone (running as
        # another user instead would need the checkout readable by them, which a CI clone in a
        # private temporary folder is not).
        folder = Path("/sys/scalpsafe-backups")
    else:
        folder = tmp_path / "backups"
        folder.mkdir(mode=0o500)

    refused = manage("backup", database=own_database(), backup_dir=folder)

    assert refused.returncode == 1
    assert f"Cannot write to the backup folder {folder}: permission denied" in refused.stderr


@postgresql_only
def test_it_names_the_client_package_when_pg_dump_is_of_another_major_version(tmp_path, settings):
    server = connection.pg_version // 10_000
    fake = tmp_path / "pg_dump"
    fake.write_text(f'#!/bin/sh\necho "pg_dump (PostgreSQL) {server - 1}.3"\n')
    fake.chmod(0o755)
    settings.POSTGRES_BIN_DIR = str(tmp_path)

    with pytest.raises(CommandError) as raised:
        call_command("backup", output_dir=tmp_path / "backups")

    assert f"is version {server - 1}" in str(raised.value)
    assert f"apt-get install postgresql-client-{server}" in str(raised.value)
    assert list((tmp_path / "backups").iterdir()) == []


@postgresql_only
def test_it_names_the_client_package_when_pg_dump_is_missing(tmp_path, settings):
    server = connection.pg_version // 10_000
    settings.POSTGRES_BIN_DIR = str(tmp_path / "empty")

    with pytest.raises(CommandError) as raised:
        call_command("backup", output_dir=tmp_path / "backups")

    assert "pg_dump is not installed" in str(raised.value)
    assert f"apt-get install postgresql-client-{server}" in str(raised.value)
