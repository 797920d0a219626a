"""PostgreSQL timestamps parsed by psycopg's C parser (scalpsafe/postgresql/base.py) are the
values Django's own loader gives: the same instants, the same time zone object, the same errors."""

import datetime
from contextlib import contextmanager

import psycopg
import pytest
from django.db import connection
from django.db.backends.postgresql.psycopg_any import register_tzloader

from scalpsafe.postgresql import base

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's timestamps"),
]

# Every kind of value a timestamptz's text takes: microseconds or none, the days London's
# clocks change, and 1847 (with the session's time zone set elsewhere, offsets of hours,
# minutes and, for London in 1847, seconds).
WITHIN_THE_CALENDAR = """
SELECT t FROM generate_series(
    '2025-12-31 22:59:59.999999+00'::timestamptz, '2027-01-02'::timestamptz,
    '17 hours 13 minutes 7.123457 seconds'::interval
) AS t
UNION ALL SELECT unnest(ARRAY[
    '1900-01-01 00:00:00.5+00', '2026-03-29 00:59:59+00', '2026-03-29 01:00:00+00',
    '2026-10-25 00:59:59.000001+00', '1847-12-01 00:00:00+00', '1970-01-01 00:00:00+00'
]::timestamptz[])
"""
# And its very ends, which only UTC keeps within Python's years 1 to 9999.
VALUES = f"""{WITHIN_THE_CALENDAR}
UNION ALL SELECT unnest(ARRAY[
    '0001-01-01 00:00:00+00', '9999-12-31 23:59:59.999999+00'
]::timestamptz[])
"""


def read(sql: str, *, djangos_loader: bool = False) -> list:
    """The rows as ScalpSafe's connection reads them, or as Django's own loader reads them."""
    connection.ensure_connection()
    with connection.connection.cursor() as cursor:
        if djangos_loader:
            register_tzloader(connection.timezone, cursor)  # on this cursor only
        cursor.execute(sql)
        return cursor.fetchall()


def read_or_error(sql: str, *, djangos_loader: bool = False) -> tuple:
    try:
        return ("rows", read(sql, djangos_loader=djangos_loader))
    except (psycopg.Error, NotImplementedError) as error:
        # psycopg's Python loader cannot read some date styles (NotImplementedError).
        return ("error", type(error))


@pytest.mark.skipif(base.c_parser() is None, reason="psycopg without its C module")
def test_the_connection_parses_timestamps_in_c():
    connection.ensure_connection()
    loader = connection.connection.adapters.get_loader(
        psycopg.adapters.types["timestamptz"].oid, psycopg.pq.Format.TEXT
    )
    assert loader.__name__ == "CParsedTzLoader"
    assert loader.timezone == connection.timezone


def test_without_psycopgs_c_module_djangos_loader_is_kept(monkeypatch):
    monkeypatch.setattr(base, "c_parser", lambda: None)
    template = psycopg.adapt.AdaptersMap(psycopg.adapters)
    assert base._with_c_parsed_timestamps.__wrapped__(template, datetime.UTC) is template


def test_every_value_is_the_one_djangos_loader_gives():
    ours, djangos = read(VALUES), read(VALUES, djangos_loader=True)

    assert len(ours) > 500
    assert ours == djangos
    for (value,), (django_value,) in zip(ours, djangos, strict=True):
        assert value.tzinfo is django_value.tzinfo is datetime.UTC
        assert value.isoformat() == django_value.isoformat()


@contextmanager
def session_set(setting: str, value: str):
    """The database session's `setting` at `value` for the block, then Django's again."""
    with connection.cursor() as cursor:
        cursor.execute(f"SET {setting} = '{value}'")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            # Django sets the time zone to UTC on each connection; the date style is the server's.
            cursor.execute("SET TimeZone = 'UTC'" if setting == "TimeZone" else f"RESET {setting}")


@pytest.mark.parametrize("date_style", ["ISO, DMY", "SQL, DMY", "German", "Postgres, MDY"])
def test_in_any_date_style_the_values_or_the_error_are_djangos(date_style):
    with session_set("DateStyle", date_style):
        ours = read_or_error(VALUES)
        djangos = read_or_error(VALUES, djangos_loader=True)
    assert ours == djangos


@pytest.mark.parametrize("zone", ["Europe/London", "Asia/Kathmandu", "America/St_Johns"])
def test_in_any_session_time_zone_the_values_are_djangos(zone):
    # Django sets the session's time zone to UTC; were it not, each value would carry its
    # offset (1847's London one in seconds): both loaders give the same instants still.
    with session_set("TimeZone", zone):
        ours = read(WITHIN_THE_CALENDAR)
        djangos = read(WITHIN_THE_CALENDAR, djangos_loader=True)
    assert ours == djangos
    assert [value.tzinfo for (value,) in ours] == [value.tzinfo for (value,) in djangos]


@pytest.mark.parametrize("text", ["infinity", "-infinity"])
def test_a_value_python_cannot_hold_fails_as_with_djangos_loader(text):
    sql = f"SELECT '{text}'::timestamptz"
    assert read_or_error(sql) == read_or_error(sql, djangos_loader=True)
    assert read_or_error(sql) == ("error", psycopg.DataError)
