"""The person's session pages (rulebook section 6): the check before a session, its result
with the controls to confirm a consult and log the session, check-ins, one session and its
deletion. "My sessions" is in my_sessions.py, the exports in exports.py.

Every page is for a signed-in person and their own checks and sessions: anything else is 404
for every method (roller_sessions.access), before the method is even looked at.
"""

from __future__ import annotations

import datetime
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from assessments import rulebook
from assessments.checks import CheckRefusal, consult_reasons
from assessments.rulebook import Disposition, Level
from assessments.scoring import AnswerError
from roller_sessions import services
from roller_sessions.access import get_check_for, get_session_for
from roller_sessions.exports import export_csv, export_json
from roller_sessions.forms import (
    SUBMISSION_FIELD,
    CheckForm,
    CheckinForm,
    ConsultConfirmForm,
    SessionLogForm,
)
from roller_sessions.models import Check, ConsultConfirmation, Session
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

_METHODS = ["GET", "HEAD", "POST"]


def _answer_error(form, error: AnswerError) -> None:
    """An answer the services refused: on its field when it names one, else on the form."""
    message = "Choose only from the answers shown."
    if isinstance(error.key, str) and error.key in form.fields:
        form.add_error(error.key, message)
    else:
        form.add_error(None, message)


def _base_date(base) -> datetime.date:
    return timezone.localdate(base.created_at)


# --- Before a session -------------------------------------------------------------------------


@never_cache
@login_required
@require_http_methods(_METHODS)
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
                _answer_error(form, error)
            except services.CheckNotAllowed as error:
                return _refused(request, error.base, error.refusal, today)
            except services.NoBase:
                return render(request, "roller_sessions/check_refused.html", {"no_base": True})
            else:
                return redirect(taken)
        submission_id = _submission_id(request.POST.get(SUBMISSION_FIELD))
    else:
        form = CheckForm()
        submission_id = uuid.uuid4()
    return render(
        request,
        "roller_sessions/check_new.html",
        {
            "form": form,
            "submission_id": submission_id,
            "base": base,
            "base_date": _base_date(base),
            "base_disposition": Disposition(base.disposition),
        },
    )


def _submission_id(raw: object) -> uuid.UUID:
    """The posted id when it reads as one (so a corrected form still saves once), else new."""
    try:
        return uuid.UUID(str(raw)[:64])
    except ValueError:
        return uuid.uuid4()


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


# --- A check's result and its controls -------------------------------------------------------


@never_cache
@login_required
@require_http_methods(_METHODS)
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
            f"{_day(check.session.date)}"
        )
    if check.date == services.local_today():
        return f"Today, {_day(check.date)}"
    return f"Check before a session, {_day(check.date)}"


def _day(date: datetime.date) -> str:
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
        may_log = services.session_may_be_logged_for(check)
        needs_confirmation = (
            result.disposition is Disposition.CONSULT and not may_log and logged is None
        )
        confirmed_on = None
        if result.disposition is Disposition.CONSULT and may_log:
            confirmed_on = (
                ConsultConfirmation.objects.filter(base_id=check.base_id)
                .order_by("-created_at")
                .values_list("confirmed_on", flat=True)
                .first()
            )
        previous = _previous_session(check)
        if previous is not None:
            wait_until = previous.before_check.next_earliest
        controls.update(
            logged=logged,
            may_log=may_log and logged is None and check.date == today,
            too_late=may_log and logged is None and check.date != today,
            needs_confirmation=needs_confirmation,
            confirmed_on=confirmed_on,
            consult_reasons_words=_reasons_in_words(check) if needs_confirmation else [],
            confirm_form=form if isinstance(form, ConsultConfirmForm) else ConsultConfirmForm(),
            today=today,
        )
    else:
        past = rulebook.QUESTIONS[rulebook.KEY_PAST_REACTIONS]
        controls.update(
            signs=rulebook.AFTER_SIGNS.describe(check.given.get(rulebook.AFTER_SIGNS.key)),
            recorded=past.describe(check.recorded) if check.recorded else "",
        )
    body = render_to_string(
        "assessments/includes/result_body.html",
        {
            "assessment": check,
            "result": result,
            "heading": _heading(check),
            "controls_template": "roller_sessions/includes/check_controls.html",
            **controls,
            "wait_until": wait_until,
            "wait_until_rule_ids": rulebook.FREQUENCY_RULE_IDS,
            "high_total": result.level is Level.HIGH and not result.hard_stop,
            "factor_rows": [(f"factor-{i}", f) for i, f in enumerate(result.factors, 1)],
            "stop_rule_ids": {f.rule_id for f in result.factors if f.is_stop},
            "consult_links": [
                (f"factor-{result.factors.index(f) + 1}", f) for f in result.consult_reasons
            ],
            "answers": rulebook.describe_answers(check.answers),
            "status_notice": rulebook.STATUS_NOTICE,
            "safety_net": rulebook.SAFETY_NET,
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
@require_http_methods(_METHODS)
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
@require_http_methods(_METHODS)
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


# --- Check-ins ---------------------------------------------------------------------------------


@never_cache
@login_required
@require_http_methods(_METHODS)
def checkin(request: HttpRequest, session_id: uuid.UUID, day: int) -> HttpResponse:
    """The check-in offered `day` days after a session, while it is the one offered."""
    the_session = get_session_for(request, session_id)
    today = services.local_today()
    if day not in rulebook.CHECKIN_DAYS:
        raise Http404("No such check-in.")
    if request.method == "POST":
        # A double post: the first saved it, and the check-in is no longer due.
        done = _already_taken(request, the_session)
        if done is not None:
            return redirect(done)
    taken = set(the_session.checkins.values_list("checkin_day", flat=True))
    if services.checkin_due_day(the_session, taken, today) != day:
        return render(
            request,
            "roller_sessions/checkin_not_due.html",
            {"session": the_session, "day": day},
            status=404,
        )
    if request.method == "POST":
        form = CheckinForm(request.POST)
        if form.is_valid():
            given = {q.key: form.cleaned_data[q.key] for q in rulebook.CHECKIN_QUESTIONS}
            try:
                taken_check = services.checkin_take(
                    session=the_session,
                    day=day,
                    given=given,
                    submission_id=form.cleaned_data[SUBMISSION_FIELD],
                    today=today,
                )
            except AnswerError as error:
                _answer_error(form, error)
            except services.CheckinNotDue:
                return render(
                    request,
                    "roller_sessions/checkin_not_due.html",
                    {"session": the_session, "day": day},
                    status=404,
                )
            else:
                return redirect(taken_check)
        submission_id = _submission_id(request.POST.get(SUBMISSION_FIELD))
    else:
        form = CheckinForm()
        submission_id = uuid.uuid4()
    return render(
        request,
        "roller_sessions/checkin.html",
        {
            "form": form,
            "submission_id": submission_id,
            "session": the_session,
            "day": day,
            "days_after": (today - the_session.date).days,
        },
    )


def _already_taken(request: HttpRequest, the_session: Session) -> Check | None:
    raw = request.POST.get(SUBMISSION_FIELD)
    try:
        submission_id = uuid.UUID(str(raw)[:64])
    except ValueError:
        return None
    return Check.objects.filter(
        owner_id=request.user.pk, session=the_session, submission_id=submission_id
    ).first()


# --- One session, and deleting it ---------------------------------------------------------------


@never_cache
@login_required
@require_http_methods(_METHODS)
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
@require_http_methods(_METHODS)
def session_delete(request: HttpRequest, session_id: uuid.UUID) -> HttpResponse:
    """Ask first (GET), delete on POST: the session, its check-ins and its check."""
    the_session = get_session_for(request, session_id)
    if request.method == "POST":
        date = the_session.date
        services.session_delete(session=the_session)
        messages.success(request, f"Your session of {_day(date)} was deleted.")
        return redirect("roller_sessions:mine")
    return render(request, "roller_sessions/session_delete.html", {"session": the_session})
