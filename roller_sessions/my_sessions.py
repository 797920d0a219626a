""" "My sessions": the person's checks before a session (newest first), each with the session
it led to and that session's check-ins; the device's uses so far, the next earliest date and
the check-ins due now. A constant number of queries, whatever the number of sessions."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from roller_sessions import services
from roller_sessions.models import Check, Session

PAGE_SIZE = 20
_ROW_FIELDS = ("id", "date", "created_at", "disposition", "kind", "base_id", "owner_id")


@never_cache
@login_required
@require_safe
def my_sessions(request: HttpRequest) -> HttpResponse:
    user = request.user
    checks = (
        Check.objects.filter(owner=user, kind=Check.Kind.BEFORE)
        .select_related("logged_session")
        .only(*_ROW_FIELDS, "next_earliest", "logged_session__id", "logged_session__date")
        .prefetch_related(
            Prefetch(
                "logged_session__checkins",
                queryset=Check.objects.only(
                    *_ROW_FIELDS, "session_id", "checkin_day", "days_after"
                ).order_by("created_at"),
            )
        )
        .order_by("-date", "-created_at")
    )
    page = Paginator(checks, PAGE_SIZE).get_page(request.GET.get("page"))
    base = services.base_for(user)
    last = (
        Session.objects.filter(owner=user, base=base)
        .select_related("before_check")
        .only("date", "before_check__next_earliest")
        .order_by("-date", "-created_at")
        .first()
        if base is not None
        else None
    )
    return render(
        request,
        "roller_sessions/my_sessions.html",
        {
            "page": page,
            "base": base,
            "device_uses": services.device_uses_so_far(base) if base is not None else None,
            "last_session": last,
            "next_earliest": last.before_check.next_earliest if last is not None else None,
            "stopped_by": services.newest_stop_check(base) if base is not None else None,
            "due": services.checkins_due(user),
        },
    )
