"""Sessions with REDIS_URL (scalpsafe/cached_db_sessions.py): read from Redis, so a request can
reach the save with the database cut; that is the friendly 503, not "your session was deleted"."""

import pytest
from django.contrib.sessions.backends.base import UpdateError
from django.db import OperationalError

from scalpsafe.cached_db_sessions import SessionStore

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_session_saved_while_the_database_is_cut_raises_the_database_error(
    unreachable_database,
):
    session = SessionStore()
    session["step"] = "scalp"
    session.create()
    with unreachable_database():
        session["step"] = "hair"
        with pytest.raises(OperationalError):
            session.save()
    session.save()
    assert SessionStore(session.session_key).load()["step"] == "hair"


def test_a_session_that_was_really_deleted_is_still_refused():
    session = SessionStore()
    session["x"] = 1
    session.create()
    stale = SessionStore(session.session_key)
    stale["x"] = 2  # loaded before the deletion, saved after it
    SessionStore(session.session_key).delete()
    with pytest.raises(UpdateError):
        stale.save()
