"""A date hierarchy for the admin list that reads the date index, in a fixed number of queries.

Django builds the hierarchy's links with `queryset.datetimes()`: a `SELECT DISTINCT` of the
truncated date over every filtered row (0.83 s at 100,000 rows on SQLite). Here the same answer
comes from two small queries whatever the number of rows or the span of dates:

1. the first and last date: each an `ORDER BY … LIMIT 1` on the index when only dates are
   filtered, else one MIN/MAX aggregate;
2. one row of `EXISTS` flags, one per candidate year, month or day between them.

The admin's `date_hierarchy` tag first asks the list for `aggregate(first=Min, last=Max)` to
pick the level; that is answered by query 1 and kept, so the hierarchy costs what Django's own
costs in queries (2), without reading every row.

Both queries read the list's own SELECT of the date, compiled once by the ORM
(`_dates_sql`), as a subquery that PostgreSQL and SQLite both fold into the outer query (so the
index still serves it): built as ORM subqueries, one per period and end, the same filters were
built and compiled six times a page, about 6 ms of the clinic queue's page for SQL that runs
in 0.02 ms (docs/performance.md).
"""

from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import BooleanField, F, IntegerField, Max, Min, QuerySet
from django.db.models.constants import LOOKUP_SEP
from django.db.models.expressions import RawSQL
from django.db.models.sql.where import WhereNode
from django.utils import timezone

from scalpsafe.db_conversions import converted, converters_for

# Months of a year (12) and days of a month (31) always fit. Only years can be more, and with
# retention deleting assessments after ASSESSMENT_RETENTION_DAYS they are a handful; beyond this
# (dates imported wrong) Django's own DISTINCT answers: slower, still one query, still correct.
MAX_PERIODS = 60

# The name of the date in the list's compiled SELECT (_dates_sql); no model field is called so.
DATE_ALIAS = "hierarchy_date"


class FastDateHierarchyMixin:
    """`datetimes()` for year, month and day, equal to Django's, in a fixed number of queries.

    Returns a list, not a QuerySet: the admin's date_hierarchy tag only iterates it.
    """

    # Whether the first and last dates are read from each end of an index whatever the filters
    # (with_fast_date_hierarchy's walk_index).
    _walk_index = False

    def aggregate(self, *args, **kwargs):
        field = _min_max_field(args, kwargs)
        if field is None:
            return super().aggregate(*args, **kwargs)
        first, last = self._first_last(field)
        return {"first": first, "last": last}

    def datetimes(self, field_name, kind, order="ASC", tzinfo=None):
        if not settings.USE_TZ or kind not in ("year", "month", "day"):
            return super().datetimes(field_name, kind, order, tzinfo)
        tz = tzinfo or timezone.get_current_timezone()
        first, last = self._first_last(field_name)
        if first is None:
            return []
        starts = _period_starts(
            timezone.localtime(first, tz).date(), timezone.localtime(last, tz).date(), kind
        )
        if len(starts) > MAX_PERIODS:
            return super().datetimes(field_name, kind, order, tzinfo)
        # Local midnights, as the admin's own year/month/day filters use (make_aware), so that
        # a link lists exactly the rows its period holds.
        bounds = [
            timezone.make_aware(datetime.combine(start, datetime.min.time()), tz)
            for start in starts
        ]
        dates = self._dates_sql(field_name)
        # The last period holds the last row: no upper bound (and none to compute past 9999).
        highs = [*bounds[1:], None]
        found = dates.values(*map(dates.exists_between, bounds, highs))
        periods = [low for low, exists in zip(bounds, found, strict=False) if exists]
        return periods[::-1] if order == "DESC" else periods

    def count_up_to(self, limit: int, field_name: str) -> int | None:
        """How many rows this list has, counted no further than `limit`, from its compiled
        SELECT of `field_name` (one row an item; nothing more compiled), or None where that
        SELECT cannot count them (a DISTINCT list). The first and last dates come in the same
        statement when they are read from each end of the index, as the hierarchy asks next."""
        if self.query.distinct or self.query.is_sliced or self.query.combinator:
            return None
        if LOOKUP_SEP in field_name:  # a related row's date: one row per related row
            return None
        dates = self._dates_sql(field_name)
        known = self.__dict__.setdefault("_first_last_known", {})
        if dates.sql is None:  # a filter no row can match
            known.setdefault(field_name, (None, None))
            return 0
        if field_name in known or not self._reads_ends(field_name):
            return dates.values(dates.count_up_to(limit))[0]
        rows, first, last = dates.values(
            dates.count_up_to(limit), dates.end("ASC"), dates.end("DESC")
        )
        known[field_name] = (first, last)
        return rows

    def _reads_ends(self, field_name: str) -> bool:
        return self._walk_index or _filters_only_on(self.query.where, field_name)

    def _first_last(self, field_name: str) -> tuple[datetime | None, datetime | None]:
        """The first and last non-null `field_name` in this queryset, read once per queryset."""
        known = self.__dict__.setdefault("_first_last_known", {})
        if field_name in known:
            return known[field_name]
        if self._reads_ends(field_name):
            # Each end of the index: a few entries read. (SQLite reads the whole index for MIN
            # and MAX in one query.)
            dates = self._dates_sql(field_name)
            first_last = dates.values(dates.end("ASC"), dates.end("DESC"))
        else:
            # Other filters may keep a few rows far apart: walking the index from each end would
            # then read most of the table twice. One aggregate reads it at most once (and
            # PostgreSQL's planner still uses the index when that is cheaper).
            first_last = tuple(
                super().aggregate(first=Min(field_name), last=Max(field_name)).values()
            )
        known[field_name] = first_last
        return first_last

    def _dates_sql(self, field_name: str) -> "_DatesSQL":
        """This list's `field_name` as one SELECT, compiled once per queryset."""
        known = self.__dict__.setdefault("_dates_sql_known", {})
        if field_name not in known:
            values = self.order_by().values(**{DATE_ALIAS: F(field_name)})
            try:
                sql, params = values.query.get_compiler(self.db).as_sql()
            except EmptyResultSet:  # a filter no row can match (an empty IN list)
                sql, params = None, ()
            field = values.query.annotations[DATE_ALIAS].output_field
            known[field_name] = _DatesSQL(sql, tuple(params), field, self.db)
        return known[field_name]


class _DatesSQL:
    """A list's dates as a compiled SELECT, and the hierarchy's questions about them as SQL.

    The text is the ORM's own compiled SELECT, the alias quoted by the database's rules and
    fixed words; every value (the list's filters, the period bounds) is bound.
    """

    def __init__(self, sql: str | None, params: tuple, field, alias: str):
        # The database's alias, not its connection: the queryset that keeps this can be copied.
        self.sql, self.params, self.field, self.alias = sql, params, field, alias
        self.date = connections[alias].ops.quote_name(DATE_ALIAS)

    @property
    def connection(self):
        return connections[self.alias]

    def end(self, direction: str) -> RawSQL:
        """The first ("ASC") or last ("DESC") non-null date, or NULL."""
        if self.sql is None:
            return RawSQL("NULL", (), output_field=self.field)
        return RawSQL(  # noqa: S611 (the class docstring: no value in the text)
            f"SELECT dated.{self.date} FROM ({self.sql}) dated WHERE dated.{self.date} IS NOT NULL "  # noqa: S608
            f"ORDER BY dated.{self.date} {direction} LIMIT 1",
            self.params,
            output_field=self.field,
        )

    def count_up_to(self, limit: int) -> RawSQL:
        """How many rows the SELECT has, counted no further than `limit`."""
        return RawSQL(  # noqa: S611 (the class docstring: no value in the text)
            f"SELECT COUNT(*) FROM (SELECT 1 FROM ({self.sql}) dated LIMIT %s) counted",  # noqa: S608
            (*self.params, limit),
            output_field=IntegerField(),
        )

    def values(self, *expressions: RawSQL) -> tuple:
        """`expressions` (each a subquery or a constant) computed in one statement of its own,
        with no table to read, converted as the ORM converts a column of their type."""
        sql = "SELECT " + ", ".join(f"({expression.sql})" for expression in expressions)
        params = [param for expression in expressions for param in expression.params]
        connection = self.connection
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            row = cursor.fetchone()
        return tuple(converted(connection, converters_for(connection, expressions), row))

    def exists_between(self, low: datetime, high: datetime | None) -> RawSQL:
        """Whether a date is at or after `low` and before `high` (if any)."""
        if self.sql is None:
            return RawSQL("1 = 0", (), output_field=BooleanField())
        where, bounds = f"dated.{self.date} >= %s", [low]
        if high is not None:
            where, bounds = f"{where} AND dated.{self.date} < %s", [low, high]
        return RawSQL(  # noqa: S611 (the class docstring: no value in the text)
            f"EXISTS(SELECT 1 FROM ({self.sql}) dated WHERE {where})",  # noqa: S608
            (*self.params, *(self.field.get_db_prep_value(b, self.connection) for b in bounds)),
            output_field=BooleanField(),
        )


def with_fast_date_hierarchy(queryset: QuerySet, *, walk_index: bool = False) -> QuerySet:
    """`queryset`, its own class and filters kept, with FastDateHierarchyMixin's datetimes().

    `walk_index`: read the first and last dates from each end of an index even when other
    filters are set, for a list whose filters an index of (filter, date) serves (the clinic's
    queue: share_sent), where one MIN/MAX would read every row.
    """
    clone = queryset._chain()
    # A class attribute, so that the querysets chained from this one keep it.
    clone.__class__ = _fast_class(type(queryset), walk_index)
    return clone


_FAST_CLASSES: dict[tuple[type, bool], type] = {}


def _fast_class(queryset_class: type, walk_index: bool) -> type:
    key = (queryset_class, walk_index)
    if key not in _FAST_CLASSES:
        _FAST_CLASSES[key] = type(
            f"FastDateHierarchy{queryset_class.__name__}",
            (FastDateHierarchyMixin, queryset_class),
            {"_walk_index": walk_index},
        )
    return _FAST_CLASSES[key]


def _min_max_field(args: tuple, kwargs: dict) -> str | None:
    """The field of exactly `aggregate(first=Min(f), last=Max(f))` (the tag's call), else None."""
    first = kwargs.get("first")
    if args or not isinstance(first, Min):
        return None
    field = getattr(first.get_source_expressions()[0], "name", None)
    if isinstance(field, str) and kwargs == {"first": Min(field), "last": Max(field)}:
        return field
    return None


def _filters_only_on(where: WhereNode, field_name: str) -> bool:
    """Whether every condition of `where` compares `field_name` itself (none, or date bounds)."""
    for condition in where.children:
        if isinstance(condition, WhereNode):
            if not _filters_only_on(condition, field_name):
                return False
        elif getattr(getattr(condition, "lhs", None), "target", None) is None or (
            condition.lhs.target.name != field_name
        ):
            return False
    return True


def _period_starts(first: date, last: date, kind: str) -> list[date]:
    """The first day of every `kind` period from `first`'s to `last`'s, at most MAX_PERIODS + 1."""
    if kind == "year":
        start = date(first.year, 1, 1)
    elif kind == "month":
        start = date(first.year, first.month, 1)
    else:
        start = first
    starts = [start]
    while len(starts) <= MAX_PERIODS:
        start = _next_period(start, kind)
        if start is None or start > last:
            break
        starts.append(start)
    return starts


def _next_period(start: date, kind: str) -> date | None:
    try:
        if kind == "year":
            return start.replace(year=start.year + 1)
        if kind == "month":
            return (start.replace(day=28) + timedelta(days=4)).replace(day=1)
        return start + timedelta(days=1)
    except (ValueError, OverflowError):  # past 9999-12-31
        return None
