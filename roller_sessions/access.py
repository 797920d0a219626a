"""Who may see a check or a session: its owner only. Anyone else, staff and the operator
included, gets 404, whatever the method."""

import uuid

from django.http import Http404, HttpRequest

from roller_sessions.models import Check, Session
from scalpsafe.security import log_event


def get_check_for(request: HttpRequest, check_id: uuid.UUID) -> Check:
    check = (
        Check.objects.filter(pk=check_id, owner_id=request.user.pk)
        .select_related("session", "base")
        .first()
    )
    if check is None:
        log_event("check_not_found", request, check_id=check_id)
        raise Http404("No such check.")
    return check


def get_session_for(request: HttpRequest, session_id: uuid.UUID) -> Session:
    session = (
        Session.objects.filter(pk=session_id, owner_id=request.user.pk)
        .select_related("before_check")
        .first()
    )
    if session is None:
        log_event("session_not_found", request, session_id=session_id)
        raise Http404("No such session.")
    return session
