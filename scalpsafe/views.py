"""Project-level pages: the home page and the health check."""

import logging

from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from assessments import session

logger = logging.getLogger(__name__)


@never_cache
@require_safe
def home(request: HttpRequest) -> HttpResponse:
    return render(
        request, "home.html", {"in_progress": session.consent(request.session) is not None}
    )


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
