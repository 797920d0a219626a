"""Django's PostgreSQL backend, with each `timestamptz` parsed by psycopg's C parser.

Django reads every `timestamptz` through its own loader (`SpecificTzLoader` in
django/db/backends/postgresql/psycopg_any.py): a subclass of psycopg's pure-Python loader, so
that each value gets Django's time zone object. That is about 4 µs of Python a value, where
psycopg's C loader (from psycopg-binary, which ScalpSafe installs) takes well under one. The
clinic's queue reads 104 a page, "My assessments" one or two a row (docs/performance.md,
twenty-third sitting). Here Django's loader is kept, with its parsing done by the C one: the
same datetime, then Django's own `replace(tzinfo=...)`. Where psycopg has no C module, Django's
loader is used as it is. tests/serving/test_postgresql_timestamps.py holds the two equal.
"""

import functools
from datetime import datetime, tzinfo

import psycopg
from django.db.backends.postgresql import base
from django.db.backends.postgresql.psycopg_any import BaseTzLoader
from psycopg.abc import AdaptContext, Buffer
from psycopg.adapt import AdaptersMap, Loader
from psycopg.pq import Format

TIMESTAMPTZ_OID = psycopg.adapters.types["timestamptz"].oid


class DatabaseWrapper(base.DatabaseWrapper):
    def get_connection_params(self) -> dict:
        params = super().get_connection_params()
        params["context"] = _with_c_parsed_timestamps(params["context"], self.timezone)
        return params


def c_parser() -> type | None:
    """psycopg's C loader for `timestamptz` text, or None where psycopg runs in pure Python
    (psycopg swaps its own loaders for their C versions as it registers them). Only psycopg's
    own: a loader someone registered in its place is not taken for it."""
    loader = psycopg.adapters.get_loader(TIMESTAMPTZ_OID, Format.TEXT)
    module = getattr(loader, "__module__", "")
    return loader if module.startswith(("psycopg_binary.", "psycopg_c.")) else None


@functools.lru_cache
def _with_c_parsed_timestamps(template: AdaptersMap, timezone: tzinfo | None) -> AdaptersMap:
    # Django's adapters for each connection (kept per template, as Django keeps the template),
    # with its timestamp loader in the C-parsed form.
    parser = c_parser()
    if parser is None:
        return template
    adapters = AdaptersMap(template)
    adapters.register_loader("timestamptz", _c_parsed_loader(parser, timezone))
    return adapters


def _c_parsed_loader(parser: type, zone: tzinfo | None) -> type[BaseTzLoader]:
    class CParsedTzLoader(BaseTzLoader):
        # Django's create_cursor compares this with the connection's time zone, as it does for
        # its own loader: equal, the connection's adapters are used as they are.
        timezone = zone

        def __init__(self, oid: int, context: AdaptContext | None = None) -> None:
            # psycopg's Loader's own set-up only: the Python parser's (its DateStyle and time
            # zone) would go unused, and the C parser reads them itself, as psycopg makes
            # each loader: once a query, for the connection as it is then.
            Loader.__init__(self, oid, context)
            self._parse = parser(oid, context).load

        def load(self, data: Buffer) -> datetime:
            # BaseTzLoader.load's, with the parsing done in C.
            return self._parse(data).replace(tzinfo=self.timezone)

    return CParsedTzLoader
