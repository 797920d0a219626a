"""A check-in after a session (rulebook section 6): offered on day 1, 3 and 7 while
services.checkin_due_day says so; its result is shown by check_page."""

from __future__ import annotations

import uuid

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from assessments import rulebook
from assessments.scoring import AnswerError
from roller_sessions import services
from roller_sessions.access import get_session_for
from roller_sessions.check_page import METHODS
from roller_sessions.forms import (
    SUBMISSION_FIELD,
    CheckinForm,
    add_answer_error,
    submission_id_or_new,
)
from roller_sessions.models import Check, Session


@never_cache
@login_required
@require_http_methods(METHODS)
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
                add_answer_error(form, error)
            except services.CheckinNotDue:
                return render(
                    request,
                    "roller_sessions/checkin_not_due.html",
                    {"session": the_session, "day": day},
                    status=404,
                )
            else:
                return redirect(taken_check)
        submission_id = submission_id_or_new(request.POST.get(SUBMISSION_FIELD))
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
