"""Browser sessions in the database (the setting without REDIS_URL), read with one fixed query.

Django's database backend reads the browser session through the ORM, which builds and
compiles the same SELECT on every request that carries a session cookie: about a third of a
millisecond, a fifth of a questionnaire step's own work (docs/performance.md). The query never
changes, so it is written here once, with Django's own quoting and its conversion of the time
for the database. Everything else (writing, expiry, key checks) is Django's.
"""

from django.contrib.sessions.backends import db
from django.db import connections, router
from django.utils import timezone

_COLUMNS = ("session_data", "session_key", "expire_date")


class SessionStore(db.SessionStore):
    def _get_session_from_db(self):
        model = self.model
        connection = connections[router.db_for_read(model)]
        ops = connection.ops
        column = {name: ops.quote_name(model._meta.get_field(name).column) for name in _COLUMNS}
        # Only the model's own table and column names go into the text; the values are bound.
        sql = "SELECT {session_data} FROM {table} WHERE {session_key} = %s AND {expire_date} > %s"  # noqa: S608
        sql = sql.format(table=ops.quote_name(model._meta.db_table), **column)
        with connection.cursor() as cursor:
            cursor.execute(sql, [self.session_key, ops.adapt_datetimefield_value(timezone.now())])
            row = cursor.fetchone()
        if row is None:
            self._session_key = None  # as Django does: an unknown or expired key is dropped
            return None
        return model(session_key=self.session_key, session_data=row[0])
