"""Browser sessions with REDIS_URL: Django's `cached_db` (written to the database and to Redis,
read from Redis), told apart from a session that was deleted when the database is down.

With the session read from Redis, a request can get as far as saving it while the database is
unreachable. Django's database backend turns any database error on that save into UpdateError,
which its session middleware answers with 400 "the session was deleted": wrong here, the
session is fine and the database will be back. An unreachable database is raised as itself, so
it gets the friendly 503 page like every other request that needs the database
(scalpsafe/views.py `server_error`).
"""

from django.contrib.sessions.backends import cached_db
from django.contrib.sessions.backends.base import UpdateError
from django.db import InterfaceError, OperationalError


class SessionStore(cached_db.SessionStore):
    def save(self, must_create: bool = False) -> None:
        try:
            super().save(must_create)
        except UpdateError as error:
            cause = error.__context__
            if isinstance(cause, OperationalError | InterfaceError):
                raise cause from None
            raise
