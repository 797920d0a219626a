"""The result page's live sharing panel: where the result was sent, the clinic's reply, the
person's controls (stop sharing, send, the private link).

Rendered on every request, never from the result body's cache (assessments/views.py): a
withdrawal, a review or a message from the clinic shows at once.
"""

import functools
from dataclasses import dataclass

from django.db import connections, router
from django.http import HttpRequest

from assessments.models import Assessment
from assessments.rulebook import Disposition
from clinics.models import Clinic, PrivateLink, Share
from clinics.working_time import reply_time_in_words
from scalpsafe.compiled_get import Joined
from scalpsafe.db_conversions import Converters, converted, converters_for

# Where the panel goes in the cached result body (templates/assessments/includes/result_body.html).
SHARE_STATUS_MARKER = "<!-- share-status -->"


@dataclass(frozen=True)
class Sharing:
    """What the panel shows of a result's sharing, as the database has it now."""

    # The current share, or else the last one withdrawn (to say when), or None; with its clinic.
    latest_share: Share | None
    # Whether a private link to the result works (PrivateLinkQuerySet.usable).
    has_private_link: bool


# What the panel reads of the share and its clinic (the template's fields, in the models' order,
# as Model.from_db takes them); nothing else (the clinic's notes, the person's contact details)
# leaves the database for this page. A field left out loads with a query of its own if a
# template uses it, which tests/serving/test_query_budgets.py would see.
_SHARE_FIELDS = tuple(
    field
    for field in Share._meta.concrete_fields
    if field.name
    in {
        "id",
        "assessment",
        "clinic",
        "sent_at",
        "disposition",
        "due_at",
        "withdrawn_at",
        "contact_way",
        "status",
        "message_to_person",
    }
)
_CLINIC_FIELDS = tuple(
    field
    for field in Clinic._meta.concrete_fields
    if field.name in {"id", "name", "phone", "email", "address"}
)
_SHARE_NAMES = frozenset(field.attname for field in _SHARE_FIELDS)
_CLINIC_NAMES = frozenset(field.attname for field in _CLINIC_FIELDS)
_SHARE_PK_AT = _SHARE_FIELDS.index(Share._meta.pk)
# The columns as the ORM's expressions, for the database's conversions of their values.
_SHARE_COLUMNS = tuple(field.get_col("s") for field in _SHARE_FIELDS)
_CLINIC_COLUMNS = tuple(field.get_col("c") for field in _CLINIC_FIELDS)


def sharing_of(assessment: Assessment) -> Sharing:
    """The latest share of `assessment` with its clinic, and whether a private link to it
    works: one fixed query (never cached). The result page reads the same columns in its
    ownership query instead (`sharing_joined`, assessments/access.py).

    Written out rather than built by the ORM, whose building and compiling of the two queries
    this replaces cost about 0.8 ms a page, a third of the page's own work (docs/performance.md).
    Only table and column names from the models go into the text; the values are bound. Its
    rules are the ORM's, which tests/sharing/test_sharing_read.py checks it against: a usable
    link is one not revoked (PrivateLinkQuerySet.usable); the latest share is the current one,
    or else the last withdrawn.
    """
    connection = connections[router.db_for_read(Share)]
    sql, converters = _statement(connection.alias)
    assessment_id = Assessment._meta.pk.get_db_prep_value(assessment.pk, connection)
    with connection.cursor() as cursor:
        cursor.execute(sql, [assessment_id, assessment_id])
        row = cursor.fetchone()
    return sharing_from(connection.alias, converted(connection, converters, row))


def sharing_from(alias: str, values: list) -> Sharing:
    """The Sharing of the columns of `sharing_joined` (or `sharing_of`'s), converted."""
    has_link, *values = values
    if values[_SHARE_PK_AT] is None:  # no share: never sent
        return Sharing(latest_share=None, has_private_link=bool(has_link))
    share = Share.from_db(alias, _SHARE_NAMES, values[: len(_SHARE_FIELDS)])
    share.clinic = Clinic.from_db(alias, _CLINIC_NAMES, values[len(_SHARE_FIELDS) :])
    return Sharing(latest_share=share, has_private_link=bool(has_link))


@functools.cache
def sharing_joined(alias: str) -> Joined:
    """The sharing's columns over an assessment's row read as `o` (CompiledGet.get_joined):
    the result page reads its assessment and the panel's sharing in one statement."""
    quote = connections[alias].ops.quote_name
    columns, joins = _columns_and_joins(alias, f"{quote('o')}.{quote(Assessment._meta.pk.column)}")
    return Joined(columns=columns, joins=joins, converters=_converters(alias))


@functools.cache
def _statement(alias: str) -> tuple[str, Converters]:
    """`sharing_of`'s query and its columns' conversions, for the database `alias`: worked out
    once per process (they depend on the database's kind and the models alone), not on every
    page (about 0.1 ms). The assessment's id is bound twice."""
    quote = connections[alias].ops.quote_name
    columns, joins = _columns_and_joins(alias, "%s")
    # One row whether or not the result was ever sent (NULLs when there is no share).
    sql = f"SELECT {columns} FROM (SELECT 1 AS {quote('one')}) AS {quote('one')} {joins}"  # noqa: S608
    return sql, _converters(alias)


def _columns_and_joins(alias: str, assessment_id: str) -> tuple[str, str]:
    """The SQL of the sharing's columns (whether a link works, then the latest share and its
    clinic) and of the joins they read, for the assessment whose id is `assessment_id` (SQL: a
    column, or a placeholder; it appears twice)."""
    quote = connections[alias].ops.quote_name
    share, link = Share._meta, PrivateLink._meta
    share_table, clinic_table = quote(share.db_table), quote(Clinic._meta.db_table)
    columns = ", ".join(
        [
            f"EXISTS (SELECT 1 FROM {quote(link.db_table)}"  # noqa: S608 (model names only)
            f" WHERE {quote(link.get_field('assessment').column)} = {assessment_id}"
            f" AND {quote(link.get_field('revoked_at').column)} IS NULL)"
        ]
        + [f"s.{quote(field.column)}" for field in _SHARE_FIELDS]
        + [f"c.{quote(field.column)}" for field in _CLINIC_FIELDS]
    )
    pk, column = quote(share.pk.column), quote(share.get_field("assessment").column)
    # The latest share: the current one, or else the last withdrawn.
    latest = (
        f"SELECT latest.{pk} FROM {share_table} latest"  # noqa: S608 (model names only)
        f" WHERE latest.{column} = {assessment_id}"
        f" ORDER BY latest.{quote(share.get_field('withdrawn_at').column)} DESC NULLS FIRST,"
        f" latest.{quote(share.get_field('sent_at').column)} DESC LIMIT 1"
    )
    joins = (
        f"LEFT JOIN {share_table} s ON s.{pk} = ({latest})"
        f" LEFT JOIN {clinic_table} c"
        f" ON c.{quote(Clinic._meta.pk.column)} = s.{quote(share.get_field('clinic').column)}"
    )
    return columns, joins


def _converters(alias: str) -> Converters:
    # The link's answer is taken as it comes (bool() reads PostgreSQL's and SQLite's alike).
    connection = connections[alias]
    return (
        ((), None),
        *converters_for(connection, _SHARE_COLUMNS),
        *converters_for(connection, _CLINIC_COLUMNS),
    )


def dont_wait_line(disposition: Disposition | str) -> str:
    """For urgent and stop: what to do now, whatever the clinic does."""
    disposition = Disposition(disposition)
    if not disposition.is_stop:
        return ""
    return f"Do not wait for the clinic to reply. {disposition.next_step}"


def share_status_context(
    request: HttpRequest,
    assessment: Assessment,
    sharing: Sharing,
    *,
    new_private_link: dict | None = None,
) -> dict:
    """What clinics/includes/share_status.html reads, for the page that shows it: `sharing`
    as read on this request (with a link made since counted), and the private link made just
    now, to show once, if any."""
    share = sharing.latest_share
    current = share if share is not None and share.is_current else None
    return {
        "assessment": assessment,
        "share": current,
        "withdrawn": share if share is not None and not share.is_current else None,
        "reply_time": reply_time_in_words(current.disposition) if current else "",
        "dont_wait": dont_wait_line(current.disposition) if current else "",
        "has_private_link": sharing.has_private_link,
        # Someone with an account has their way back; a private link is offered to the rest
        # (and to an account that still has one, so it can be revoked).
        "offer_private_link": not request.user.is_authenticated,
        # Made just now, after a clinic questionnaire's final submit: shown once, here.
        "new_private_link": new_private_link,
    }
