"""The database connection: SQLite pragmas in effect, or PostgreSQL when DATABASE_URL is set."""

import os
import sqlite3

import pytest
from django.db import connection, transaction

sqlite_only = pytest.mark.skipif(
    bool(os.environ.get("DATABASE_URL")), reason="SQLite settings; DATABASE_URL selects PostgreSQL"
)


@sqlite_only
@pytest.mark.django_db
def test_sqlite_runs_in_wal_mode_with_a_busy_timeout():
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] == 20_000


@sqlite_only
@pytest.mark.django_db(transaction=True)
def test_sqlite_transactions_take_the_write_lock_immediately():
    # With IMMEDIATE, merely opening a transaction reserves the database for writing, so a second
    # writer is refused before the first has written anything.
    with transaction.atomic():
        connection.cursor().execute("SELECT 1")
        other = sqlite3.connect(connection.settings_dict["NAME"], timeout=0)
        try:
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("BEGIN IMMEDIATE")
        finally:
            other.close()


@pytest.mark.skipif(not os.environ.get("DATABASE_URL"), reason="needs DATABASE_URL")
@pytest.mark.django_db
def test_database_url_connects_to_postgresql():
    assert connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        assert cursor.fetchone()[0].startswith("PostgreSQL")
