"""Browser sessions with REDIS_URL: Django's `cached_db` (written to the database and to Redis,
read from Redis), told apart from a session that was deleted when the database is down, and
readable in the same round trip to Redis as another entry a page is about to read
(`load_with`, for the result page: assessments/middleware.py).

With the session read from Redis, a request can get as far as saving it while the database is
unreachable. Django's database backend turns any database error on that save into UpdateError,
which its session middleware answers with 400 "the session was deleted": wrong here, the
session is fine and the database will be back. An unreachable database is raised as itself, so
it gets the friendly 503 page like every other request that needs the database
(scalpsafe/views.py `server_error`).
"""

from __future__ import annotations

from typing import Any

from django.contrib.sessions.backends import cached_db
from django.contrib.sessions.backends.base import UpdateError
from django.db import InterfaceError, OperationalError

from scalpsafe.redis_cache import RedisCache


class SessionStore(cached_db.SessionStore):
    def save(self, must_create: bool = False) -> None:
        try:
            super().save(must_create)
        except UpdateError as error:
            cause = error.__context__
            if isinstance(cause, OperationalError | InterfaceError):
                raise cause from None
            raise

    def load_with(self, cache: RedisCache, key: str) -> tuple[bool, Any]:
        """Read this session and the entry `key` of `cache` in one round trip to Redis (one
        MGET), before anything has read the session: whether that entry was read, and its value
        (None: nothing there).

        A session found in Redis is then this store's data, as Django's `load` would have read
        it (without marking the session accessed: the first real read does, as before). One not
        in Redis (evicted, or a made-up key) is left to `load`, which looks in Redis once more
        and then in the database, as cached_db does. Nothing is read when there is no session
        key, when the session was read already, when `cache` is on another Redis, or when Redis
        fails (then `load` and the caller's own read meet the failure as before).
        """
        sessions = self._cache
        if (
            self.session_key is None
            or hasattr(self, "_session_cache")
            or not (isinstance(sessions, RedisCache) and sessions.shares_server_with(cache))
        ):
            return False, None
        try:
            data, value = sessions.get_from_each([(sessions, self.cache_key), (cache, key)])
        except Exception:  # noqa: BLE001 (as cached_db's load, which reads it again)
            return False, None
        if data is not None:
            self._session_cache = data  # what SessionBase._get_session keeps from load()
        return True, value
