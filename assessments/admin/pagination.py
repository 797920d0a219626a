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


class CappedCountPaginator(Paginator):
    """Counts the rows only up to a cap: past it, the list says "more than N".

    A triage queue can hold far more items than anyone pages through, and an exact COUNT(*)
    reads every matching row on every view (at 100,000 items it was the biggest query of the
    queue's page, docs/performance.md). Counting stops at `cap`: below it the count is exact;
    above it `is_capped` is set and the count is `cap` plus one page, so every page linked to
    exists. The cap grows with the page asked for (`page`), so the next pages are always
    linked: the list can be paged to its end.
    """

    AT_LEAST = 1000
    PAGES_AHEAD = 10
    MOST_PAGES = 10_000_000

    def __init__(self, *args, page: int = 1, date_field: str | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # The list's date hierarchy: its compiled SELECT counts the rows too
        # (assessments/admin/hierarchy.py count_up_to), in the statement that reads the first
        # and last dates, instead of a count compiled on its own (about 0.5 ms a page).
        self.date_field = date_field
        # Any page number may be asked for in the URL; past the last page the admin says so.
        page = min(max(page, 1), self.MOST_PAGES)
        self.cap = max(self.AT_LEAST, (page + self.PAGES_AHEAD) * int(self.per_page))
        self.is_capped = False

    @cached_property
    def count(self) -> int:
        rows = None
        if self.date_field and hasattr(self.object_list, "count_up_to"):
            rows = self.object_list.count_up_to(self.cap + 1, self.date_field)
        if rows is None:
            # The rows' order does not change how many there are.
            rows = self.object_list.order_by().values("pk")[: self.cap + 1].count()
        if rows <= self.cap:
            return rows
        self.is_capped = True
        return self.cap + int(self.per_page)
