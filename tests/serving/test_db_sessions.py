"""Browser sessions in the database read with one fixed query (scalpsafe/db_sessions.py)."""

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone

from scalpsafe.db_sessions import SessionStore

pytestmark = pytest.mark.django_db


def test_it_reads_back_what_was_saved():
    store = SessionStore()
    store["questionnaire"] = {"step": "hair"}
    store.save()
    again = SessionStore(store.session_key)
    assert again["questionnaire"] == {"step": "hair"}
    assert again.session_key == store.session_key


def test_it_drops_an_expired_session():
    store = SessionStore()
    store["x"] = 1
    store.save()
    Session.objects.filter(session_key=store.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    again = SessionStore(store.session_key)
    assert "x" not in again
    assert again.session_key is None


def test_it_drops_an_unknown_key():
    store = SessionStore("a" * 32)
    assert dict(store.items()) == {}
    assert store.session_key is None
