"""The result page's live sharing panel: where the result was sent, the clinic's reply, the
person's controls (stop sharing, send, the private link).

Rendered on every request, never from the result body's cache (assessments/views.py): a
withdrawal, a review or a message from the clinic shows at once.
"""

import functools
from dataclasses import dataclass

from django.db import connections, router
from django.http import HttpRequest
from django.template.loader import render_to_string

from assessments.models import Assessment
from assessments.rulebook import Disposition
from clinics.models import Clinic, PrivateLink, Share
from clinics.working_time import reply_time_in_words
from scalpsafe.db_conversions import converted, converters_for

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
    works: one fixed query on every result page (never cached).

    Written out rather than built by the ORM, whose building and compiling of the two queries
    this replaces cost about 0.8 ms a page, a third of the page's own work (docs/performance.md).
    Only table and column names from the models go into the text; the values are bound. Its
    rules are the ORM's, which tests/sharing/test_sharing_read.py checks it against: a usable
    link is one not revoked (PrivateLinkQuerySet.usable); the latest share is the current one,
    or else the last withdrawn.
    """
    connection = connections[router.db_for_read(Share)]
    sql, share_converters, clinic_converters = _statement(connection.alias)
    assessment_id = Assessment._meta.pk.get_db_prep_value(assessment.pk, connection)
    with connection.cursor() as cursor:
        cursor.execute(sql, [assessment_id, assessment_id])
        has_link, *values = cursor.fetchone()
    if values[_SHARE_PK_AT] is None:  # no share: never sent
        return Sharing(latest_share=None, has_private_link=bool(has_link))
    share_values = converted(connection, share_converters, values[: len(_SHARE_FIELDS)])
    clinic_values = converted(connection, clinic_converters, values[len(_SHARE_FIELDS) :])
    share = Share.from_db(connection.alias, _SHARE_NAMES, share_values)
    share.clinic = Clinic.from_db(connection.alias, _CLINIC_NAMES, clinic_values)
    return Sharing(latest_share=share, has_private_link=bool(has_link))


@functools.cache
def _statement(alias: str) -> tuple[str, tuple, tuple]:
    """The query's text, and each column's conversions, for the database `alias`: worked out
    once per process (they depend on the database's kind and the models alone), not on every
    result page (about 0.1 ms)."""
    connection = connections[alias]
    quote = connection.ops.quote_name
    share_table, clinic_table = Share._meta.db_table, Clinic._meta.db_table
    columns = ", ".join(
        [f"s.{quote(field.column)}" for field in _SHARE_FIELDS]
        + [f"c.{quote(field.column)}" for field in _CLINIC_FIELDS]
    )
    link = PrivateLink._meta
    # One row whether or not the result was ever sent: the link's answer, then the latest
    # share and its clinic (NULLs when there is none).
    sql = (
        f"SELECT EXISTS (SELECT 1 FROM {quote(link.db_table)}"  # noqa: S608
        f" WHERE {quote(link.get_field('assessment').column)} = %s"
        f" AND {quote(link.get_field('revoked_at').column)} IS NULL), {columns}"
        f" FROM (SELECT 1 AS {quote('one')}) AS {quote('one')}"
        f" LEFT JOIN {quote(share_table)} s"
        f" ON s.{quote(Share._meta.get_field('assessment').column)} = %s"
        f" LEFT JOIN {quote(clinic_table)} c"
        f" ON c.{quote(Clinic._meta.pk.column)} = s.{quote(Share._meta.get_field('clinic').column)}"
        f" ORDER BY s.{quote(Share._meta.get_field('withdrawn_at').column)} DESC NULLS FIRST,"
        f" s.{quote(Share._meta.get_field('sent_at').column)} DESC LIMIT 1"
    )
    return (
        sql,
        converters_for(connection, _SHARE_COLUMNS),
        converters_for(connection, _CLINIC_COLUMNS),
    )


def dont_wait_line(disposition: Disposition | str) -> str:
    """For urgent and stop: what to do now, whatever the clinic does."""
    disposition = Disposition(disposition)
    if not disposition.is_stop:
        return ""
    return f"Do not wait for the clinic to reply. {disposition.next_step}"


def share_status_context(
    request: HttpRequest, assessment: Assessment, *, new_private_link: dict | None = None
) -> dict:
    sharing = sharing_of(assessment)
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


def share_status(
    request: HttpRequest, assessment: Assessment, *, new_private_link: dict | None = None
) -> str:
    return render_to_string(
        "clinics/includes/share_status.html",
        share_status_context(request, assessment, new_private_link=new_private_link),
        request=request,
    )
