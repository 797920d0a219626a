"""Browser sessions (Django's), whichever engine keeps them: the database, or the database with
Redis in front (`cached_db`, with REDIS_URL)."""

from importlib import import_module

from django.conf import settings
from django.contrib.sessions.models import Session


def browser_sessions_end() -> None:
    """End every browser session, as expiry does: deleting the rows alone would leave a
    `cached_db` session alive in the cache."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    for key in Session.objects.values_list("session_key", flat=True):
        store(key).delete()
