"""A paginator that does not count a large table on every page view."""

from django.core.paginator import Paginator
from django.db import connections
from django.db.models import QuerySet
from django.utils.functional import cached_property


def estimated_row_count(queryset: QuerySet) -> int | None:
    """PostgreSQL's own estimate of the rows in `queryset`'s table, or None where there is none.

    pg_class.reltuples is kept current by autovacuum and ANALYZE; it is -1 for a table never
    analysed. SQLite keeps no such statistic.
    """
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass",
            [connection.ops.quote_name(queryset.model._meta.db_table)],
        )
        row = cursor.fetchone()
    return None if row is None or row[0] < 0 else int(row[0])


class EstimatedCountPaginator(Paginator):
    """Counts exactly, except for the unfiltered list of a large PostgreSQL table.

    There, COUNT(*) reads the whole table on every page view, so the planner's estimate stands
    in: page links may be off by a little, which the list tolerates (a page past the end shows
    an error note). Any filter or search, and every table under ESTIMATE_ABOVE rows, is counted
    exactly, as is everything on SQLite.
    """

    ESTIMATE_ABOVE = 10_000

    @cached_property
    def count(self) -> int:
        queryset = self.object_list
        if isinstance(queryset, QuerySet) and not queryset.query.where:
            estimate = estimated_row_count(queryset)
            if estimate is not None and estimate > self.ESTIMATE_ABOVE:
                return estimate
        return super().count
