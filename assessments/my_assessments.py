"""A signed-in person's own assessments: the list with the trend, delete, and export."""

import json
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from assessments import rulebook
from assessments.access import get_assessment_for
from assessments.exports import write_assessments_csv
from assessments.models import SNAPSHOT_FIELDS, Assessment
from assessments.services import assessment_delete
from assessments.trend import since_last_time, trend_chart
from clinics.models import Share
from roller_sessions.exports import sessions_records
from roller_sessions.models import Check

PAGE_SIZE = 20
_LIST_FIELDS = (
    "id",
    "created_at",
    "points",
    "level",
    "hard_stop",
    "consult_professional",
    "disposition",
)


def _check_rows(user) -> list[tuple]:
    """The person's checks before and after sessions, oldest first, for the trend: one query."""
    kinds = dict(Check.Kind.choices)
    rows = Check.objects.filter(owner=user).order_by("created_at")
    return [
        (*row[:4], kinds.get(row[4], row[4]))
        for row in rows.values_list("created_at", "points", "level", "hard_stop", "kind")
    ]


@never_cache
@login_required
@require_safe
def my_assessments(request: HttpRequest) -> HttpResponse:
    mine = Assessment.objects.filter(owner=request.user)
    page = Paginator(mine.only(*_LIST_FIELDS, "rulebook_version", "answers"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    needle = rulebook.NEEDLE_LENGTH
    rows = [{"assessment": a, "needle": needle.describe(a.answers.get(needle.key))} for a in page]
    rows_oldest_first = list(
        mine.order_by("created_at").values_list(
            "created_at", "points", "level", "hard_stop", "rulebook_version"
        )
    )
    history = [row[:4] for row in rows_oldest_first]
    versions = [row[4] for row in rows_oldest_first]
    latest_two = list(mine.only("id", "created_at", "factors", "rulebook_version")[:2])
    changes = (
        since_last_time(
            latest_two[0].factors,
            latest_two[1].factors,
            latest_version=latest_two[0].rulebook_version,
            previous_version=latest_two[1].rulebook_version,
        )
        if len(latest_two) == 2
        else None
    )
    return render(
        request,
        "assessments/my_assessments.html",
        {
            "page": page,
            "rows": rows,
            "chart": trend_chart(history, versions, _check_rows(request.user)),
            "changes": changes,
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
