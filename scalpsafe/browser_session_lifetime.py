"""Browser-session lifetime: at most 12 hours from the start, and 30 idle minutes once signed in.

"Session" here is Django's browser session (the cookie), not a microneedling session.

Django's own expiry restarts whenever a session is saved, so it cannot give an absolute limit;
this middleware keeps the start time and the last activity in the session. Activity is written
at most once a minute, so reading a page does not rewrite the session every time.
"""

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse

from scalpsafe.security import log_event

_STARTED = "scalpsafe_started_at"
_SEEN = "scalpsafe_seen_at"
_SEEN_GRANULARITY = 60


class BrowserSessionLifetimeMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = request.session
        if session.session_key is not None:
            self._enforce(request)
        response = self.get_response(request)
        if session.is_empty():
            return response  # no session is created for someone who only browses
        now = int(time.time())
        if _STARTED not in session:
            session[_STARTED] = now
        if now - session.get(_SEEN, 0) >= _SEEN_GRANULARITY:
            session[_SEEN] = now
        return response

    def _enforce(self, request: HttpRequest) -> None:
        session = request.session
        now = int(time.time())
        started = session.get(_STARTED, now)
        seen = session.get(_SEEN, now)
        signed_in = request.user.is_authenticated
        if now - started > settings.SESSION_ABSOLUTE_LIFETIME:
            reason = "absolute_lifetime"
        elif signed_in and now - seen > settings.SESSION_IDLE_TIMEOUT:
            reason = "idle_timeout"
        else:
            return
        if signed_in:
            log_event("session_expired", request, reason=reason)
            logout(request)
            messages.info(request, "You were logged out after a while without activity.")
        else:
            session.flush()
