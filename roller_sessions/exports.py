"""A person's own sessions, checks and check-ins as JSON and CSV: codes and their words from
the rulebook, dates and dispositions; never anyone else's rows (filtered by owner)."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable

from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from assessments import rulebook
from assessments.exports import csv_safe
from roller_sessions.models import Check, Session

_QUESTIONS = {q.key: q for q in (*rulebook.CHECK_QUESTIONS, *rulebook.CHECKIN_QUESTIONS)}
_PAST_REACTIONS = rulebook.QUESTIONS[rulebook.KEY_PAST_REACTIONS]


def _given_in_words(check: Check) -> dict[str, str]:
    return {
        _QUESTIONS[key].text: _QUESTIONS[key].describe(value)
        for key, value in check.given.items()
        if key in _QUESTIONS
    }


def check_record(check: Check) -> dict:
    """One check or check-in as the exports give it."""
    return {
        "id": check.id,
        "kind": check.kind,
        "kind_label": check.get_kind_display(),
        "date": check.date,
        "created_at": check.created_at,
        "base_assessment_id": check.base_id,
        "answers_given": check.given,
        "answers_given_in_words": _given_in_words(check),
        "disposition": check.disposition,
        "disposition_label": check.get_disposition_display(),
        "level": check.level,
        "level_label": check.get_level_display(),
        "points": check.points,
        "hard_stop": check.hard_stop,
        "fired_rules": [factor["rule_id"] for factor in check.factors],
        "checkin_day": check.checkin_day,
        "days_after": check.days_after,
        "recorded_reactions": check.recorded,
        "recorded_reactions_in_words": _PAST_REACTIONS.describe(check.recorded)
        if check.recorded
        else "",
        "next_earliest": check.next_earliest,
        "rulebook_version": check.rulebook_version,
    }


def sessions_records(user) -> dict:
    """The person's sessions (each with its check and its check-ins) and the checks that led
    to no session, newest first. Three queries."""
    sessions = (
        Session.objects.filter(owner=user)
        .select_related("before_check")
        .prefetch_related(Prefetch("checkins", queryset=Check.objects.order_by("created_at")))
        .order_by("-date", "-created_at")
    )
    unlogged = Check.objects.filter(
        owner=user, kind=Check.Kind.BEFORE, logged_session__isnull=True
    ).order_by("-created_at")
    return {
        "sessions": [
            {
                "id": s.id,
                "date": s.date,
                "base_assessment_id": s.base_id,
                "device_today": s.device_today,
                "device_today_label": rulebook.DEVICE_TODAY.describe(s.device_today),
                "check_before": check_record(s.before_check),
                "checkins": [check_record(c) for c in s.checkins.all()],
            }
            for s in sessions
        ],
        "checks_without_a_session": [check_record(c) for c in unlogged],
    }


def _attachment(response: HttpResponse, extension: str) -> HttpResponse:
    stamp = timezone.localdate().isoformat()
    name = f"scalpsafe-sessions-{stamp}.{extension}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@never_cache
@login_required
@require_safe
def export_json(request: HttpRequest) -> HttpResponse:
    body = json.dumps(
        {
            "exported_at": timezone.now(),
            "username": request.user.get_username(),
            **sessions_records(request.user),
        },
        cls=DjangoJSONEncoder,
        indent=2,
        ensure_ascii=False,
    )
    return _attachment(HttpResponse(body, content_type="application/json; charset=utf-8"), "json")


CSV_COLUMNS = (
    "session_id",
    "session_date",
    "kind",
    "kind_label",
    "check_id",
    "date",
    "checkin_day",
    "days_after",
    "disposition",
    "disposition_label",
    "level",
    "level_label",
    "points",
    "answers_given",
    "answers_given_in_words",
    "recorded_reactions",
    "recorded_reactions_in_words",
    "next_earliest",
    "rulebook_version",
)


def _csv_rows(user) -> Iterable[list]:
    records = sessions_records(user)
    for session in records["sessions"]:
        for check in (session["check_before"], *session["checkins"]):
            yield _csv_row(session["id"], session["date"], check)
    for check in records["checks_without_a_session"]:
        yield _csv_row("", "", check)


def _csv_row(session_id, session_date, record: dict) -> list:
    given = "; ".join(
        f"{key}={','.join(v) if isinstance(v, list) else v}"
        for key, v in record["answers_given"].items()
    )
    words = "; ".join(f"{q} {a}" for q, a in record["answers_given_in_words"].items())
    values = {
        **record,
        "session_id": session_id,
        "session_date": session_date,
        "check_id": record["id"],
        "answers_given": given,
        "answers_given_in_words": words,
        "recorded_reactions": ";".join(record["recorded_reactions"]),
    }
    return [csv_safe(values[name]) for name in CSV_COLUMNS]


@never_cache
@login_required
@require_safe
def export_csv(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    writer = csv.writer(response)
    writer.writerow(CSV_COLUMNS)
    writer.writerows(_csv_rows(request.user))
    return _attachment(response, "csv")
