"""PostgreSQL's cursor for prepared statements, safe for statements of any size.

With prepared statements on (scalpsafe/settings.py, `DATABASE_PREPARED_STATEMENTS`) values are
bound by the server, and the server's protocol takes at most 65,535 values a statement. Django
5.2 does not split its statements for that limit, so a large `IN` list (the retention purge's,
a cascade's), or a `bulk_create` of many rows (the audit entries of a whole-queue export),
would fail. Such a statement is sent here as Django sends every statement without prepared
statements: its values written into its text by psycopg's client-side binding. It is never
prepared (each one is different anyway); every other statement is bound by the server and
prepared once it has run often enough on a connection.
"""

from django.db.backends.postgresql.base import ServerBindingCursor
from psycopg import ClientCursor

# The most values one statement may bind on the server (a 16-bit count in the protocol).
SERVER_BOUND_VALUES_MAX = 65_535


class PreparedStatementsCursor(ServerBindingCursor):
    def execute(self, query, params=None, **kwargs):
        if params is not None and len(params) > SERVER_BOUND_VALUES_MAX:
            # Written into the text with no values left, psycopg sends it as it is; never
            # prepared, even when the same text comes again: it would be kept on the server.
            query, params = ClientCursor(self.connection).mogrify(query, params), None
            kwargs["prepare"] = False
        return super().execute(query, params, **kwargs)
