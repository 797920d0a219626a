"""A check's or a check-in's result page (rulebook section 6), with the controls below its
disposition: confirm a consult, log the session, or what was logged; and the two POSTs behind
them. Rendered from the check's snapshot with the result page's own template, never cached.
"""

from __future__ import annotations

import datetime
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from assessments import rulebook
from assessments.checks import consult_reasons
from assessments.rulebook import Disposition
from assessments.views import result_body_context
from clinics.models import Share
from roller_sessions import services
from roller_sessions.access import get_check_for
from roller_sessions.forms import (
    ConsultConfirmForm,
    SessionLogForm,
)
from roller_sessions.models import Check, ConsultConfirmation, Session

METHODS = ["GET", "HEAD", "POST"]


@never_cache
@login_required
@require_http_methods(METHODS)
def check(request: HttpRequest, check_id: uuid.UUID) -> HttpResponse:
    the_check = get_check_for(request, check_id)  # someone else's: 404 whatever the method
    if request.method == "POST":
        return HttpResponseNotAllowed(["GET", "HEAD"])
    return _check_page(request, the_check)


def _reasons_in_words(check: Check) -> list[str]:
    result = check.result
    titles = {factor.rule_id: factor.title for factor in result.factors}
    words = []
    for reason in consult_reasons(result):
        if reason == rulebook.HIGH_LEVEL_REASON:
            words.append("Your answers add up to the high band")
        else:
            words.append(titles.get(reason, reason))
    return words


def _previous_session(check: Check) -> Session | None:
    """The last session logged against the check's base before it was taken."""
    return (
        Session.objects.filter(base_id=check.base_id, created_at__lt=check.created_at)
        .exclude(before_check_id=check.pk)
        .select_related("before_check")
        .only("date", "before_check__next_earliest")
        .order_by("-date", "-created_at")
        .first()
    )


def _heading(check: Check) -> str:
    if check.is_checkin:
        days = check.days_after
        return (
            f"Check-in, {days} day{'' if days == 1 else 's'} after your session of "
            f"{day_in_words(check.session.date)}"
        )
    if check.date == services.local_today():
        return f"Today, {day_in_words(check.date)}"
    return f"Check before a session, {day_in_words(check.date)}"


def day_in_words(date: datetime.date) -> str:
    return f"{date.day} {date:%B %Y}"


def _check_page(
    request: HttpRequest,
    check: Check,
    *,
    form=None,
) -> HttpResponse:
    """The result page of a check or a check-in, never cached (it changes once logged)."""
    result = check.result
    today = services.local_today()
    controls: dict = {"check": check}
    wait_until = None
    if not check.is_checkin:
        logged = Session.objects.filter(before_check=check).first()
        superseded = logged is None and services.superseded_because(check) is not None
        may_log = services.session_may_be_logged_for(check)
        needs_confirmation = (
            result.disposition is Disposition.CONSULT
            and not may_log
            and logged is None
            and not superseded
        )
        confirmed_on = None
        if result.disposition is Disposition.CONSULT and may_log:
            confirmed_on = (
                ConsultConfirmation.objects.filter(
                    base_id=check.base_id, before_check__created_at__lte=check.created_at
                )
                .order_by("-created_at")
                .values_list("confirmed_on", flat=True)
                .first()
            )
        previous = _previous_session(check)
        if previous is not None:
            wait_until = previous.before_check.next_earliest
        # "Wait until" the earliest date is among the changes: the log box must not read as
        # "have your session today" without saying so.
        waiting = (
            wait_until is not None
            and wait_until > check.date
            and any(factor.rule_id in rulebook.FREQUENCY_RULE_IDS for factor in result.factors)
        )
        controls.update(
            waiting=waiting,
            logged=logged,
            superseded=superseded,
            may_log=may_log and logged is None and not superseded and check.date == today,
            too_late=may_log and logged is None and not superseded and check.date != today,
            needs_confirmation=needs_confirmation,
            confirmed_on=confirmed_on,
            consult_reasons_words=_reasons_in_words(check) if needs_confirmation else [],
            confirm_form=form if isinstance(form, ConsultConfirmForm) else ConsultConfirmForm(),
            today=today,
        )
    else:
        past = rulebook.QUESTIONS[rulebook.KEY_PAST_REACTIONS]
        signs = check.given.get(rulebook.AFTER_SIGNS.key) or []
        controls.update(
            # Redness before day 7 records nothing (section 6): say why, or "Nothing" reads as
            # if the answer was ignored.
            redness_expected_until=(
                rulebook.REDNESS_RECORDS_FROM_DAY
                if rulebook.REDNESS_LASTING in signs
                and (check.days_after or 0) < rulebook.REDNESS_RECORDS_FROM_DAY
                else None
            ),
            signs=rulebook.AFTER_SIGNS.describe(signs),
            recorded=past.describe(check.recorded) if check.recorded else "",
        )
    # "If the base was sent to a clinic, every check and check-in is sent with it" (section 6).
    controls["shared_with"] = (
        Share.objects.current().filter(assessment_id=check.base_id).select_related("clinic").first()
    )
    body = render_to_string(
        "assessments/includes/result_body.html",
        {
            **result_body_context(check, result),
            "heading": _heading(check),
            "controls_template": "roller_sessions/includes/check_controls.html",
            # What to do comes before what was recorded, or before "they said I can go ahead".
            "controls_after_first_actions": check.is_checkin
            or controls.get("needs_confirmation", False),
            **controls,
            "wait_until": wait_until,
            "wait_until_rule_ids": rulebook.FREQUENCY_RULE_IDS,
            # A check scores a full answer set: say where the answers not asked today come from.
            "answers_note": (
                "What this check scored: the answers of your assessment of "
                f"{day_in_words(timezone.localdate(check.base.created_at))}, with what you "
                "answered today and what your sessions and check-ins since then add."
            ),
        },
        request=request,
    )
    return render(
        request,
        "roller_sessions/check.html",
        {
            "check": check,
            "form": form,
            "result_body": mark_safe(body),  # noqa: S308 (ours, escaped by the template)
        },
    )


@never_cache
@login_required
@require_http_methods(METHODS)
def consult_confirm(request: HttpRequest, check_id: uuid.UUID) -> HttpResponse:
    """ "I have talked to a professional about these reasons and they said I can go ahead"."""
    check = get_check_for(request, check_id)
    if request.method != "POST":
        return redirect(check)
    form = ConsultConfirmForm(request.POST)
    if not form.is_valid():
        return _check_page(request, check, form=form)
    try:
        services.consult_confirm(check=check)
    except services.SessionNotAllowed as error:
        form.add_error(None, str(error))
        return _check_page(request, check, form=form)
    messages.success(request, "Recorded: a professional said you can go ahead.")
    return redirect(check)


@never_cache
@login_required
@require_http_methods(METHODS)
def session_log(request: HttpRequest, check_id: uuid.UUID) -> HttpResponse:
    """Log the session the check allowed, on the day of the check (services.session_log)."""
    check = get_check_for(request, check_id)
    if request.method != "POST":
        return redirect(check)
    form = SessionLogForm(request.POST)
    if form.is_valid():
        try:
            services.session_log(check=check, date=form.cleaned_data["date"])
        except services.SessionNotAllowed as error:
            form.add_error(None, str(error))
        else:
            return redirect(check)
    return _check_page(request, check, form=form)
