"""The privacy notice before the questionnaire, Start over, and the saved result page."""

from __future__ import annotations

import uuid
from dataclasses import replace

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from assessments import page_cache, privacy_notice, questionnaire_state, rulebook
from assessments.access import get_result_for
from assessments.forms import ConsentForm
from assessments.middleware import body_entry_read_with_session
from assessments.models import SNAPSHOT_JSON_FIELDS, Assessment
from assessments.result_frame import frame_for
from assessments.rulebook import Level
from assessments.wizard import QuestionnaireWizard
from clinics.clinic_link import private_link_give_once
from clinics.models import Clinic
from clinics.private_links import private_link_path
from clinics.share_status import SHARE_STATUS_MARKER, share_status_context


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def consent(request: HttpRequest) -> HttpResponse:
    """The privacy notice. Nothing about the person is stored until they tick "I agree"."""
    return consent_page(request, clinic=None)


def consent_page(request: HttpRequest, *, clinic: Clinic | None) -> HttpResponse:
    """The privacy notice, for `clinic`'s link (clinics.views.start) or for no clinic.

    Agreeing starts the questionnaire for the clinic this notice named, and for no other: the
    clinic is kept with the agreement. One in progress for the same clinic (or for none, on
    the plain notice) is continued; one for another clinic, or for none, is replaced, and the
    page says so first, so that a result never goes to a clinic its notice did not name.
    """
    clinic_name = clinic.name if clinic else None
    in_progress = questionnaire_state.consent(request.session)
    in_progress_for = questionnaire_state.consent_clinic(request.session)
    continues = in_progress is not None and (in_progress_for or {}).get("id") == (
        clinic.pk if clinic else None
    )
    replaces = in_progress is not None and not continues
    if request.method == "POST":
        form = ConsentForm(request.POST, clinic_name=clinic_name)
        if form.is_valid():
            if replaces:
                QuestionnaireWizard.clear(request)
            questionnaire_state.give_consent(request.session, clinic=clinic)
            return redirect("assessments:start")
    else:
        form = ConsentForm(clinic_name=clinic_name)
    return render(
        request,
        "assessments/consent.html",
        {
            "form": form,
            "clinic_name": clinic_name,
            "in_progress": continues,
            "replaces": replaces,
            "replaces_clinic_name": (in_progress_for or {}).get("name", ""),
            "notice": privacy_notice.sections(
                retention_days=settings.ASSESSMENT_RETENTION_DAYS, clinic_name=clinic_name
            ),
            "notice_version": privacy_notice.version(clinic_name=clinic_name),
        },
    )


@require_POST
def start_over(request: HttpRequest) -> HttpResponse:
    QuestionnaireWizard.clear(request)
    clinic = questionnaire_state.consent_clinic(request.session)
    if clinic is None:
        messages.info(
            request, "Your answers were cleared. You can start again from the first question."
        )
        return redirect("assessments:start")
    # Starting over also forgets the clinic: the next questionnaire is for no clinic unless
    # its link is opened again (and its notice agreed to).
    questionnaire_state.end_consent(request.session)
    messages.info(
        request,
        f"Your answers were cleared, and nothing will be sent to {clinic['name']}. To send "
        "them a result, open their link again.",
    )
    return redirect("assessments:consent")


@never_cache
@require_safe
def result(request: HttpRequest, assessment_id: uuid.UUID) -> HttpResponse:
    assessment, sharing = get_result_for(request, assessment_id)
    # The body may come from the cache; where it was sent, and the controls, never do: the
    # live sharing panel is rendered on every request, where the body's marker is. For people
    # signed out, the page around them is kept once rendered (assessments/result_frame.py).
    # A private link made now (after a clinic questionnaire) is shown once, in the panel that
    # then knows the result has one.
    new_private_link, link_given = _new_private_link(request, assessment)
    if link_given:
        # Made by this request or by another one for the same offer (two pages opened at once)
        # after the sharing was read: the panel offers to replace or revoke it, never to "get"
        # another, which would kill the link just emailed.
        sharing = replace(sharing, has_private_link=True)
    body = result_body(assessment, entry=body_entry_read_with_session(request, assessment.id))
    before_panel, _marker, after_panel = body.partition(SHARE_STATUS_MARKER)
    panel_context = share_status_context(
        request, assessment, sharing, new_private_link=new_private_link
    )
    frame = frame_for(request, assessment)
    if frame is None:  # rendered whole, the panel in the same pass
        return render(
            request,
            "assessments/result.html",
            {
                **panel_context,
                "result_body_before_panel": mark_safe(before_panel),  # noqa: S308 (ours)
                "result_body_after_panel": mark_safe(after_panel),  # noqa: S308 (ours)
            },
        )
    panel = render_to_string("clinics/includes/share_status.html", panel_context, request)
    return HttpResponse(frame.around(assessment, before_panel + panel + after_panel))


def _new_private_link(request: HttpRequest, assessment: Assessment) -> tuple[dict | None, bool]:
    """The private link made for this result after a clinic questionnaire, shown once:
    {"url", "emailed_to"} or None; and whether the offer was used, so a usable link exists
    now (this request's, or one another request made for the same offer first).

    A HEAD request leaves the offer for the page itself.
    """
    if request.method != "GET":
        return None, False
    offer = questionnaire_state.take_private_link_offer(request.session, assessment.id)
    if offer is None or assessment.owner_id is not None:
        return None, False
    token = private_link_give_once(assessment=assessment, email=offer["email"])
    if token is None:
        return None, True  # a usable link exists already: it is not shown again
    url = request.build_absolute_uri(private_link_path(token))
    return {"url": url, "emailed_to": offer["email"]}, True


def result_body_context(scored, result) -> dict:
    """What assessments/includes/result_body.html reads for a scored result: an assessment, or
    a check before or after a session (roller_sessions), which adds its own heading and controls."""
    return {
        "assessment": scored,
        "result": result,
        "high_total": result.level is Level.HIGH and not result.hard_stop,
        # Anchors by display position: rule ids are for staff, never on this page.
        "factor_rows": [(f"factor-{i}", f) for i, f in enumerate(result.factors, 1)],
        # Their lines are the way out of a stop (rulebook section 2).
        "stop_rule_ids": {f.rule_id for f in result.factors if f.is_stop},
        "consult_links": [
            (f"factor-{result.factors.index(f) + 1}", f) for f in result.consult_reasons
        ],
        "answers": rulebook.describe_answers(scored.answers),
        "status_notice": rulebook.STATUS_NOTICE,
        "safety_net": rulebook.SAFETY_NET,
    }


def result_body(assessment: Assessment, *, entry: object = page_cache.NOT_READ) -> str:
    """The result itself, rendered from its snapshot (a saved result never changes); from the
    cache when this code rendered it for this rulebook (assessments/page_cache.py). `entry`:
    the cache's entry for it, when read already (with the browser session).

    Only reached after the ownership check. Short-lived, and deleted with the assessment, so
    health data does not linger in a cache; the live sharing panel is never part of it.
    """
    return page_cache.result_body_html(
        assessment.id, lambda: _render_result_body(assessment), entry=entry
    )


def _render_result_body(assessment: Assessment) -> str:
    assessment.refresh_from_db(fields=SNAPSHOT_JSON_FIELDS)  # one query, not one per field
    result = assessment.result
    return render_to_string(
        "assessments/includes/result_body.html", result_body_context(assessment, result)
    )
