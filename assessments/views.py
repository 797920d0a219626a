"""The privacy notice before the questionnaire, Start over, and the saved result page."""

import uuid

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from assessments import privacy_notice, questionnaire_state, rulebook
from assessments.access import get_assessment_for
from assessments.forms import ConsentForm
from assessments.models import (
    RESULT_CACHE_SECONDS,
    SNAPSHOT_JSON_FIELDS,
    Assessment,
    result_cache_key,
)
from assessments.rulebook import Level
from assessments.wizard import QuestionnaireWizard
from clinics.share_status import SHARE_STATUS_MARKER, share_status


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def consent(request: HttpRequest) -> HttpResponse:
    """The privacy notice. Nothing about the person is stored until they tick "I agree"."""
    if request.method == "POST":
        form = ConsentForm(request.POST)
        if form.is_valid():
            questionnaire_state.give_consent(request.session)
            return redirect("assessments:start")
    else:
        form = ConsentForm()
    return render(
        request,
        "assessments/consent.html",
        {
            "form": form,
            "in_progress": questionnaire_state.consent(request.session) is not None,
            "notice": privacy_notice.sections(retention_days=settings.ASSESSMENT_RETENTION_DAYS),
            "notice_version": privacy_notice.VERSION,
        },
    )


@require_POST
def start_over(request: HttpRequest) -> HttpResponse:
    QuestionnaireWizard.clear(request)
    messages.info(
        request, "Your answers were cleared. You can start again from the first question."
    )
    return redirect("assessments:start")


@never_cache
@require_safe
def result(request: HttpRequest, assessment_id: uuid.UUID) -> HttpResponse:
    assessment = get_assessment_for(request, assessment_id, without_snapshot=True)
    # The body may come from the cache; where it was sent, and the controls, never do.
    body = result_body(assessment).replace(
        SHARE_STATUS_MARKER, share_status(request, assessment), 1
    )
    return render(
        request,
        "assessments/result.html",
        {"assessment": assessment, "result_body": mark_safe(body)},  # noqa: S308 (both ours)
    )


def result_body(assessment: Assessment) -> str:
    """The result itself, rendered from its snapshot; cached, as a saved result never changes.

    Only reached after the ownership check. Short-lived, and dropped when the assessment is
    deleted, so health data does not linger in memory.
    """
    key = result_cache_key(assessment.id)
    html = cache.get(key)
    if html is None:
        assessment.refresh_from_db(fields=SNAPSHOT_JSON_FIELDS)  # one query, not one per field
        result = assessment.result
        html = render_to_string(
            "assessments/includes/result_body.html",
            {
                "assessment": assessment,
                "result": result,
                "high_total": result.level is Level.HIGH and not result.hard_stop,
                # Anchors by display position: rule ids are for staff, never on this page.
                "factor_rows": [(f"factor-{i}", f) for i, f in enumerate(result.factors, 1)],
                # Their lines are the way out of a stop (rulebook section 2).
                "stop_rule_ids": {f.rule_id for f in result.factors if f.is_stop},
                "consult_links": [
                    (f"factor-{result.factors.index(f) + 1}", f) for f in result.consult_reasons
                ],
                "answers": rulebook.describe_answers(assessment.answers),
                "status_notice": rulebook.STATUS_NOTICE,
                "safety_net": rulebook.SAFETY_NET,
            },
        )
        cache.set(key, html, timeout=RESULT_CACHE_SECONDS)
    return html
