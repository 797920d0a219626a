"""Project-level pages: the home page and the health check."""

import logging
import sys

from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from assessments import questionnaire_state
from assessments.models import Assessment
from roller_sessions.services import checkins_due

logger = logging.getLogger(__name__)


HOME_CHECKINS_SHOWN = 3


@never_cache
@require_safe
def home(request: HttpRequest) -> HttpResponse:
    context = {"in_progress": questionnaire_state.consent(request.session) is not None}
    if request.user.is_authenticated:
        # Sessions (rulebook section 6): check-ins due now, and the way to the next check.
        has_base = Assessment.objects.filter(owner=request.user).exists()
        context["has_base"] = has_base
        # Sessions are logged against an assessment: without one, there is nothing due.
        due = checkins_due(request.user) if has_base else []
        # The newest few first; the rest wait on My sessions, which lists them all.
        context["checkins_due"] = due[::-1][:HOME_CHECKINS_SHOWN]
        context["checkins_due_more"] = max(len(due) - HOME_CHECKINS_SHOWN, 0)
    return render(request, "home.html", context)


@never_cache
@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    """200 "ok" when the database answers a query, else 503, for load balancers and monitors."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.warning("healthz: database unreachable", exc_info=True)
        return HttpResponse("database unavailable", status=503, content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain")


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page, or a friendly 503 when the cause is an unreachable database.

    Called while the exception is being handled, so it can look at it; it renders with no
    context, like Django's own handler, so it cannot fail on a missing variable.
    """
    error = sys.exc_info()[1]
    if isinstance(error, OperationalError | InterfaceError):
        logger.error("database unavailable: %s", type(error).__name__)
        response = HttpResponse(loader.get_template("503.html").render(), status=503)
        response["Retry-After"] = "30"
        return response
    return HttpResponse(loader.get_template("500.html").render(), status=500)
