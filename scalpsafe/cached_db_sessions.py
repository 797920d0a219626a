"""Browser sessions with REDIS_URL: Django's `cached_db` (written to the database and to Redis,
read from Redis), told apart from a session that was deleted when the database is down, and
readable in the same round trip to Redis as another entry a page is about to read.

With the session read from Redis, a request can get as far as saving it while the database is
unreachable. Django's database backend turns any database error on that save into UpdateError,
which its session middleware answers with 400 "the session was deleted": wrong here, the
session is fine and the database will be back. An unreachable database is raised as itself, so
it gets the friendly 503 page like every other request that needs the database
(scalpsafe/views.py `server_error`).
"""

from __future__ import annotations

from django.contrib.sessions.backends import cached_db
from django.contrib.sessions.backends.base import UpdateError
from django.db import InterfaceError, OperationalError

from scalpsafe.redis_cache import RedisCache


class SessionStore(cached_db.SessionStore):
    # The session's data as `load_with` read it, for the `load` that follows.
    _read_with: dict | None = None

    def save(self, must_create: bool = False) -> None:
        try:
            super().save(must_create)
        except UpdateError as error:
            cause = error.__context__
            if isinstance(cause, OperationalError | InterfaceError):
                raise cause from None
            raise

    def load_with(self, cache: RedisCache, key: str):
        """Read this session and the entry `key` of `cache` in one round trip to Redis, before
        anything reads the session: that entry's value, or None (none there, or not read).

        The session is then what `load` would have read from Redis. One missing from Redis
        (evicted, or not there yet) is left to `load`, which reads it from the database as
        cached_db does; so is one whose read failed.
        """
        if self.session_key is None or hasattr(self, "_session_cache"):
            return None  # no session to read, or already read: nothing is saved by this
        sessions = self._cache
        if not (isinstance(sessions, RedisCache) and sessions.shares_server_with(cache)):
            return None
        try:
            self._read_with, value = sessions.get_from_each(
                [(sessions, self.cache_key), (cache, key)]
            )
        except Exception:  # noqa: BLE001 (as cached_db's load: the session is read again there)
            return None
        return value

    def load(self) -> dict:
        data, self._read_with = self._read_with, None
        return super().load() if data is None else data
