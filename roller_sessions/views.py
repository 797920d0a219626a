"""The person's session pages (rulebook section 6). Here: "Before a session" (the check's
form, or why there is none today), one session, and deleting it. A check's result and its
controls are in check_page.py, check-ins in checkins.py, "My sessions" in my_sessions.py, the
exports in exports.py; this module gathers them for urls.py.

Every page is for a signed-in person and their own checks and sessions: anything else is 404
for every method (roller_sessions.access), before the method is even looked at.
"""

from __future__ import annotations

import datetime
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from assessments import rulebook
from assessments.checks import CheckRefusal
from assessments.rulebook import Disposition
from assessments.scoring import AnswerError
from roller_sessions import services
from roller_sessions.access import get_session_for
from roller_sessions.check_page import METHODS, check, consult_confirm, day_in_words, session_log
from roller_sessions.checkins import checkin
from roller_sessions.exports import export_csv, export_json
from roller_sessions.forms import (
    SUBMISSION_FIELD,
    CheckForm,
    add_answer_error,
    submission_id_or_new,
)
from roller_sessions.my_sessions import my_sessions

__all__ = [
    "check",
    "check_new",
    "checkin",
    "consult_confirm",
    "export_csv",
    "export_json",
    "my_sessions",
    "session",
    "session_delete",
    "session_log",
]


def _base_date(base) -> datetime.date:
    return timezone.localdate(base.created_at)


# --- Before a session -------------------------------------------------------------------------


@never_cache
@login_required
@require_http_methods(METHODS)
def check_new(request: HttpRequest) -> HttpResponse:
    """The check before a session: the three questions of rulebook.CHECK_QUESTIONS."""
    today = services.local_today()
    base = services.base_for(request.user)
    if base is None:
        return render(request, "roller_sessions/check_refused.html", {"no_base": True})
    refusal = services.base_check_refusal(base, today)
    if refusal is not None:
        return _refused(request, base, refusal, today)
    if request.method == "POST":
        form = CheckForm(request.POST)
        if form.is_valid():
            given = {q.key: form.cleaned_data[q.key] for q in rulebook.CHECK_QUESTIONS}
            try:
                taken = services.check_take(
                    user=request.user,
                    given=given,
                    submission_id=form.cleaned_data[SUBMISSION_FIELD],
                    today=today,
                )
            except AnswerError as error:
                add_answer_error(form, error)
            except services.CheckNotAllowed as error:
                return _refused(request, error.base, error.refusal, today)
            except services.NoBase:
                return render(request, "roller_sessions/check_refused.html", {"no_base": True})
            else:
                return redirect(taken)
        submission_id = submission_id_or_new(request.POST.get(SUBMISSION_FIELD))
    else:
        form = CheckForm()
        submission_id = uuid.uuid4()
    serious_since = services.newest_stop_check(base)
    return render(
        request,
        "roller_sessions/check_new.html",
        {
            "form": form,
            "submission_id": submission_id,
            "base": base,
            "base_date": _base_date(base),
            "base_disposition": Disposition(base.disposition),
            "serious_since": serious_since,
            "serious_disposition": serious_since and Disposition(serious_since.disposition),
        },
    )


def _refused(request: HttpRequest, base, refusal: CheckRefusal, today) -> HttpResponse:
    base_date = _base_date(base)
    return render(
        request,
        "roller_sessions/check_refused.html",
        {
            "base": base,
            "base_date": base_date,
            "base_disposition": Disposition(base.disposition),
            "repeat": refusal is CheckRefusal.REPEAT,
            "too_old": (today - base_date).days > rulebook.BASE_MAX_AGE_DAYS,
            "max_age_days": rulebook.BASE_MAX_AGE_DAYS,
            "rulebook_version": rulebook.VERSION,
        },
    )


# --- One session, and deleting it ---------------------------------------------------------------


@never_cache
@login_required
@require_http_methods(METHODS)
def session(request: HttpRequest, session_id: uuid.UUID) -> HttpResponse:
    the_session = get_session_for(request, session_id)  # someone else's: 404 for any method
    if request.method == "POST":
        return HttpResponseNotAllowed(["GET", "HEAD"])
    checkins = the_session.checkins.only(
        "id", "date", "checkin_day", "days_after", "disposition", "session_id"
    ).order_by("created_at")
    taken = {c.checkin_day for c in checkins}
    due_day = services.checkin_due_day(the_session, taken, services.local_today())
    return render(
        request,
        "roller_sessions/session.html",
        {
            "session": the_session,
            "before": the_session.before_check,
            "checkins": checkins,
            "due_day": due_day,
            "device": rulebook.DEVICE_TODAY.describe(the_session.device_today),
        },
    )


@never_cache
@login_required
@require_http_methods(METHODS)
def session_delete(request: HttpRequest, session_id: uuid.UUID) -> HttpResponse:
    """Ask first (GET), delete on POST: the session, its check-ins and its check."""
    the_session = get_session_for(request, session_id)
    if request.method == "POST":
        date = the_session.date
        services.session_delete(session=the_session)
        messages.success(request, f"Your session of {day_in_words(date)} was deleted.")
        return redirect("roller_sessions:mine")
    return render(request, "roller_sessions/session_delete.html", {"session": the_session})
