"""PostgreSQL's prepared statements (scalpsafe/postgresql_cursor.py, docs/scaling.md): the pages'
statements are prepared on their connection, and a statement of more values than the server
binds (65,535) still runs, as it would without prepared statements."""

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.utils import timezone

from scalpsafe.postgresql_cursor import SERVER_BOUND_VALUES_MAX

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="PostgreSQL's prepared statements"
    ),
]

OVER_THE_LIMIT = SERVER_BOUND_VALUES_MAX + 1_000


def _prepared_statements() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall()]


def test_a_statement_run_often_is_prepared_on_its_connection():
    def lookup():
        return Session.objects.filter(session_key="not-a-session").exists()

    for _ in range(6):
        assert lookup() is False
    prepared = [s for s in _prepared_statements() if "django_session" in s]
    # Bound by the server: the value is a parameter of the prepared statement, not its text.
    assert prepared and all("$1" in s and "not-a-session" not in s for s in prepared)


def test_a_lookup_of_more_values_than_the_server_binds_runs():
    keys = [f"key-{n}" for n in range(OVER_THE_LIMIT)]
    Session.objects.create(
        session_key=keys[-1], session_data="", expire_date=timezone.now() + timedelta(days=1)
    )
    assert Session.objects.filter(session_key__in=keys).count() == 1
    # And again, often enough to be prepared: never (kept on the server, it would be a waste).
    for _ in range(6):
        assert Session.objects.filter(session_key__in=keys).count() == 1
    assert not any("key-" in s for s in _prepared_statements())


def test_a_delete_of_more_values_than_the_server_binds_runs():
    # As the retention purge deletes expired results by their ids, in one statement.
    keys = [f"key-{n}" for n in range(OVER_THE_LIMIT)]
    expires = timezone.now() + timedelta(days=1)
    Session.objects.bulk_create(
        Session(session_key=key, session_data="x", expire_date=expires) for key in keys[:3]
    )
    deleted, _ = Session.objects.filter(session_key__in=keys).delete()
    assert deleted == 3
    assert not Session.objects.filter(session_key__startswith="key-").exists()


def test_values_with_quotes_and_percent_signs_survive_the_text():
    # Written into the statement's text by psycopg's client-side binding, escaped as Django's
    # default binding writes them.
    awkward = 'it\'s 100% \\ "quoted" %s %(name)s'
    keys = [awkward] + [f"key-{n}" for n in range(OVER_THE_LIMIT)]
    Session.objects.create(
        session_key="awkward", session_data=awkward, expire_date=timezone.now() + timedelta(1)
    )
    assert list(
        Session.objects.filter(session_data__in=keys).values_list("session_data", flat=True)
    ) == [awkward]
