"""A signed-in person's own assessments: the list with the trend, delete, and export."""

import functools
import json
import uuid
from dataclasses import dataclass
from datetime import UTC
from html import escape  # what django.utils.html.escape calls, without its lazy wrapper

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, connections, router
from django.db.models import QuerySet
from django.db.models.fields.json import KT
from django.db.models.sql.compiler import SQLCompiler
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from assessments import page_cache, rulebook
from assessments.access import get_assessment_for
from assessments.exports import write_assessments_csv
from assessments.models import SNAPSHOT_FIELDS, Assessment
from assessments.services import assessment_delete
from assessments.trend import Changes, TrendChart, date_and_time, since_last_time, trend_chart
from clinics.models import Share
from roller_sessions.exports import sessions_records
from roller_sessions.models import Check

PAGE_SIZE = 20
_ANY_ID = uuid.UUID(int=0)


def _listed(owner_id) -> QuerySet:
    """The list's rows of `owner_id`'s assessments, newest first, as `values()`. The id breaks
    ties, so that no row is repeated or skipped from one page to the next."""
    return (
        Assessment.objects.filter(owner=owner_id)
        .order_by("-created_at", "-id")
        .values(
            "id",
            "created_at",
            "disposition",
            "level",
            "hard_stop",
            "points",
            "rulebook_version",
            # Only the needle's answer, not the whole answers document.
            needle=KT(f"answers__{rulebook.NEEDLE_LENGTH.key}"),
        )
    )


@dataclass(frozen=True)
class _Statement:
    """`_listed`'s statement as the ORM compiled it, without a page's LIMIT and OFFSET."""

    sql: str
    params: tuple  # the owner's id at `owner_at`; the others constants of the query
    owner_at: int
    compiler: SQLCompiler  # converts the rows as the ORM does (only read from, by any thread)


# Stand for the owner's id while the list's statement is compiled: no user has either.
_STAND_INS = (-(2**30) - 7, -(2**30) - 11)


@functools.cache
def _listed_statement(alias: str) -> _Statement | None:
    """`_listed`'s statement for the database `alias`, compiled by the ORM once per process:
    building, compiling and iterating the values() query cost about a sixth of the page
    (docs/performance.md). Compiled for two stand-in owners: kept only if the two differ in
    nothing but the owner's id, bound once (never written into the text), so every other value
    is a constant of the query and the text serves everyone. None (the ORM's every time) if not.
    """
    compiled = []
    for stand_in in _STAND_INS:
        query = _listed(stand_in).query
        if query.is_sliced or query.select_for_update:
            return None
        compiler = query.get_compiler(using=alias)
        sql, params = compiler.as_sql()
        compiled.append((sql, tuple(params), compiler))
    (sql, params, compiler), (other_sql, other_params, _) = compiled
    differ = [i for i, (a, b) in enumerate(zip(params, other_params, strict=True)) if a != b]
    if sql != other_sql or len(differ) != 1 or params[differ[0]] != _STAND_INS[0]:
        return None
    if any(str(stand_in) in sql for stand_in in _STAND_INS):
        return None
    return _Statement(sql, params, differ[0], compiler)


class _ListedRows:
    """The person's listed rows for the Paginator, read a page at a time with the statement
    compiled once (`_listed_statement`); the Paginator's count is set by the view."""

    def __init__(self, owner_id: int) -> None:
        self.owner_id = owner_id

    def __getitem__(self, page: slice) -> list[dict]:
        if page.stop <= page.start:
            return []  # as the ORM: no query for an empty page
        alias = router.db_for_read(Assessment)
        statement = _listed_statement(alias)
        if statement is None:
            return list(_listed(self.owner_id)[page])
        values = list(statement.params)
        values[statement.owner_at] = self.owner_id
        # Whole numbers written into the text, as the ORM writes a slice's.
        limit, offset = int(page.stop - page.start), int(page.start)
        with connections[alias].cursor() as cursor:
            cursor.execute(f"{statement.sql} LIMIT {limit} OFFSET {offset}", values)
            rows = cursor.fetchall()
        query = statement.compiler.query
        # As ValuesIterable names a row's values.
        names = list(query.selected or [*query.values_select, *query.annotation_select])
        return [
            dict(zip(names, row, strict=True)) for row in statement.compiler.results_iter([rows])
        ]


def _list_rows_html(page) -> SafeString:
    """The table's rows, from a page of `values()` rows, as a template loop would write them.
    Built here (as the chart's marks are, assessments/trend.py): the loop's look-ups, a
    `reverse`, two `get_*_display` and a `date` filter per row were a quarter of the page's
    time (docs/performance.md)."""
    levels = dict(Assessment._meta.get_field("level").flatchoices)
    dispositions = dict(Assessment._meta.get_field("disposition").flatchoices)
    # One reverse() for the page: a result's link differs only by its id.
    link = reverse("assessments:result", args=[_ANY_ID])
    needle = rulebook.NEEDLE_LENGTH

    def risk(row: dict) -> str:
        level = levels.get(row["level"], row["level"])
        if row["hard_stop"]:
            return f"{level}, a reason to stop"
        return f"{level}, {row['points']} point{'' if row['points'] == 1 else 's'}"

    return mark_safe(  # noqa: S308 (every value escaped)
        "\n".join(
            "<tr>"
            f'<td data-label="Date"><a href="{link.replace(str(_ANY_ID), str(row["id"]))}">'
            f"{escape(date_and_time(timezone.localtime(row['created_at'])))}</a></td>"
            f'<td data-label="What to do">'
            f"{escape(str(dispositions.get(row['disposition'], row['disposition'])))}</td>"
            f'<td data-label="Risk">{escape(risk(row))}</td>'
            f'<td data-label="Needle length">{escape(needle.describe(row["needle"]))}</td>'
            f'<td data-label="Rulebook">{escape(row["rulebook_version"])}</td>'
            "</tr>"
            for row in page
        )
    )


_CHART_COLUMNS = ("created_at", "points", "level", "hard_stop")
# ASCII's unit and record separators, between the columns and the rows of the chart's inputs
# read as text: no date, number, rulebook code or version contains them.
_COLUMN_SEPARATOR, _ROW_SEPARATOR = chr(31), chr(30)


@functools.cache
def _trend_inputs_sql(vendor: str) -> str:
    """One statement: the person's assessments (created_at, points, level, hard_stop,
    rulebook_version) and checks (..., kind) as one text value each (the separators above),
    and the factors and version of the newest two assessments.
    Written once here, as the ORM took 2 ms a request to compile the same from Concat()s.
    SQLite's GROUP_CONCAT is PostgreSQL's STRING_AGG, and `||` writes numbers, booleans and
    dates as text in both (PostgreSQL's dates in UTC, the time zone Django sets on its
    connections)."""
    quote = connection.ops.quote_name
    joined, char = ("STRING_AGG", "CHR") if vendor == "postgresql" else ("GROUP_CONCAT", "CHAR")

    def column(model, name: str) -> str:
        return quote(model._meta.get_field(name).column)

    def owner(model) -> str:
        return column(model, "owner")

    def rows(model, last: str) -> str:
        fields = f" || {char}(31) || ".join(column(model, c) for c in (*_CHART_COLUMNS, last))
        # Names from the models, quoted; the person's id is a parameter. `owner = %s` gives
        # the rows this page lists (Assessment.objects.filter(owner=user)).
        return (
            f"(SELECT {joined}({fields}, {char}(30)) FROM {quote(model._meta.db_table)} "  # noqa: S608
            f"WHERE {owner(model)} = %s)"
        )

    def newest(offset: int) -> str:
        # The newest assessments' factors (JSON, whose strings never hold a raw control
        # character) and rulebook version, for "since last time", in the order the list uses.
        factors = column(Assessment, "factors")
        factors = f"{factors}::text" if vendor == "postgresql" else factors
        return (
            f"(SELECT {factors} || {char}(31) || {column(Assessment, 'rulebook_version')} "  # noqa: S608
            f"FROM {quote(Assessment._meta.db_table)} WHERE {owner(Assessment)} = %s "
            f"ORDER BY {column(Assessment, 'created_at')} DESC LIMIT 1 OFFSET {offset})"
        )

    return (
        f"SELECT {rows(Assessment, 'rulebook_version')}, {rows(Check, 'kind')}, "
        f"{newest(0)}, {newest(1)}"
    )


@dataclass(frozen=True)
class _TrendInputs:
    """Every row the trend chart is drawn from, as the database wrote them in one query: one
    text value for the assessments (created_at, points, level, hard_stop, rulebook_version),
    one for the checks (..., kind), and the factors and version of the newest two. Read with
    each request, cheaply (no row objects); parsed only when the section is drawn, so what is
    drawn and what the cache entry is checked against are the same text
    (assessments/page_cache.py)."""

    assessments: tuple[str, ...]
    checks: tuple[str, ...]
    newest_two: tuple[str, ...]

    @classmethod
    def of(cls, user) -> "_TrendInputs":
        with connection.cursor() as cursor:
            cursor.execute(_trend_inputs_sql(connection.vendor), [user.pk] * 4)
            assessments, checks, newest, before = cursor.fetchone()
        # Sorted, so the same rows are the same inputs whatever order the database joined.
        return cls(
            tuple(sorted(assessments.split(_ROW_SEPARATOR))) if assessments else (),
            tuple(sorted(checks.split(_ROW_SEPARATOR))) if checks else (),
            tuple(text for text in (newest, before) if text is not None),
        )

    def chart(self) -> TrendChart | None:
        history, versions = [], []
        for when, points, level, hard_stop, version in sorted(map(_parsed, self.assessments)):
            history.append((when, points, level, hard_stop))
            versions.append(version)
        kinds = dict(Check.Kind.choices)
        checks = [
            (*row[:4], kinds.get(row[4], row[4])) for row in sorted(map(_parsed, self.checks))
        ]
        return trend_chart(history, versions, checks)

    def changes(self) -> Changes | None:
        """What changed between the newest two assessments; None below two."""
        if len(self.newest_two) < 2:
            return None
        (latest, latest_version), (previous, previous_version) = (
            text.rsplit(_COLUMN_SEPARATOR, 1) for text in self.newest_two
        )
        return since_last_time(
            json.loads(latest),
            json.loads(previous),
            latest_version=latest_version,
            previous_version=previous_version,
        )


def _parsed(row: str) -> tuple:
    created_at, points, level, hard_stop, text = row.split(_COLUMN_SEPARATOR)
    when = parse_datetime(created_at)
    # SQLite keeps UTC without an offset (as its backend reads it); PostgreSQL writes "+00".
    return (
        when if timezone.is_aware(when) else when.replace(tzinfo=UTC),
        int(points),
        level,
        hard_stop in ("1", "true"),
        text,
    )


def _trend_html(user, inputs: _TrendInputs) -> str:
    """The section "How your risk changed" (the chart, its table, since last time): drawn from
    `inputs`, or from the cache when exactly these inputs were drawn before
    (assessments/page_cache.py). "" without a chart."""

    def render() -> str:
        chart = inputs.chart()
        if chart is None:
            return ""
        return render_to_string(
            "assessments/includes/trend_section.html", {"chart": chart, "changes": inputs.changes()}
        )

    html = page_cache.trend_chart_html(user.pk, inputs, render)
    return mark_safe(html)  # noqa: S308 (rendered by the template engine, escaped there)


@never_cache
@login_required
@require_safe
def my_assessments(request: HttpRequest) -> HttpResponse:
    inputs = _TrendInputs.of(request.user)
    paginator = Paginator(_ListedRows(request.user.pk), PAGE_SIZE)
    # The count is the chart's number of assessments, read in the same query: no COUNT(*).
    paginator.count = len(inputs.assessments)
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "assessments/my_assessments.html",
        {
            "page": page,
            "rows_html": _list_rows_html(page),
            "trend_html": _trend_html(request.user, inputs),
        },
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def delete_assessment(request: HttpRequest, assessment_id: uuid.UUID) -> HttpResponse:
    """Ask first (GET), delete on POST. Works for an account's and a browser session's own."""
    assessment = get_assessment_for(request, assessment_id)
    if request.method == "POST":
        assessment_delete(assessment=assessment)
        taken = timezone.localtime(assessment.created_at)
        messages.success(request, f"Your assessment from {taken.day} {taken:%B %Y} was deleted.")
        return redirect("assessments:mine" if request.user.is_authenticated else "home")
    shared_with = Share.objects.current().filter(assessment=assessment).select_related("clinic")
    return render(
        request,
        "assessments/delete_assessment.html",
        {"assessment": assessment, "shared_with": shared_with.first()},
    )


def _export_record(assessment: Assessment) -> dict:
    return {
        "id": assessment.id,
        "created_at": assessment.created_at,
        **{name: getattr(assessment, name) for name in SNAPSHOT_FIELDS},
        "answers_in_words": rulebook.describe_answers(assessment.answers),
        "consent": {
            "at": assessment.consent_at,
            "notice_version": assessment.consent_notice_version,
        },
    }


def _attachment(response: HttpResponse, extension: str) -> HttpResponse:
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = (
        f'attachment; filename="scalpsafe-assessments-{stamp}.{extension}"'
    )
    return response


@never_cache
@login_required
@require_safe
def export_json(request: HttpRequest) -> HttpResponse:
    records = [_export_record(a) for a in Assessment.objects.filter(owner=request.user)]
    body = json.dumps(
        {
            "exported_at": timezone.now(),
            "username": request.user.get_username(),
            "assessments": records,
            # The sessions logged against them (rulebook section 6), as their own export has.
            **sessions_records(request.user),
        },
        cls=DjangoJSONEncoder,
        indent=2,
        ensure_ascii=False,
    )
    return _attachment(HttpResponse(body, content_type="application/json; charset=utf-8"), "json")


@never_cache
@login_required
@require_safe
def export_csv(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    write_assessments_csv(response, Assessment.objects.filter(owner=request.user))
    return _attachment(response, "csv")
