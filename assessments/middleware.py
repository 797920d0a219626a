"""The result page's two reads from Redis in one round trip: its browser session and its body.

With REDIS_URL the result page read Redis twice, one after the other: its browser session (first
read by the session-lifetime middleware, before the view), then, after the view's ownership
check, the result's cached body (assessments/page_cache.py). A round trip costs a worker about a
tenth of the page's CPU in-process (docs/performance.md, fourteenth sitting). Both keys are known
before the view runs, the session's from its cookie and the body's from the address, so this
middleware reads them with one MGET (scalpsafe/cached_db_sessions.py `load_with`).

So the body is read before the ownership check, but only ever used after it: the result view
takes it (`body_entry_read_with_session`) once the check has passed, for that same result, and
page_cache's stamp check still decides whether it may be served. Someone else's request gets the
404 it always got; what was read is dropped with the request. Without Redis (one machine,
database sessions) the middleware is left out at start-up.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import MiddlewareNotUsed
from django.http import HttpRequest, HttpResponse
from django.urls import get_script_prefix

from assessments import page_cache
from scalpsafe.cached_db_sessions import SessionStore
from scalpsafe.templatetags.fixed_urls import around_id

_RESULT_VIEW = "assessments:result"
# Where the entry waits on the request for the view: (the result's id, the entry).
_ATTRIBUTE = "_result_body_entry"


class ResultBodyReadWithSession:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        # Decided from settings alone: the site is loaded in gunicorn's master, which must make
        # no cache client to hand down to its workers (tests/serving/test_gunicorn.py). Sessions
        # and result bodies on different servers are told apart on each read (`load_with`).
        if SessionStore.__module__ != settings.SESSION_ENGINE:
            raise MiddlewareNotUsed
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        assessment_id = self._result_page_of(request)
        if assessment_id is not None:
            read, entry = request.session.load_with(
                caches["pages"], page_cache.result_body_key(assessment_id)
            )
            if read:
                setattr(request, _ATTRIBUTE, (assessment_id, entry))
        return self.get_response(request)

    def _result_page_of(self, request: HttpRequest) -> uuid.UUID | None:
        """The result this request shows (a GET or HEAD of its page), else None: told apart by
        the parts of its path around the id (reversed once per process, as `{% id_url %}`
        does), with no second walk through the URL resolver."""
        if request.method not in ("GET", "HEAD"):
            return None
        before, after = around_id(_RESULT_VIEW)
        # request.path_info has no script prefix (a site under a sub-path); the reversed path has.
        before = "/" + before[len(get_script_prefix()) :]
        path = request.path_info
        if not (path.startswith(before) and path.endswith(after)):
            return None
        text = path[len(before) : len(path) - len(after)]
        try:
            assessment_id = uuid.UUID(text)
        except ValueError:
            return None
        # Django's uuid converter takes only the canonical form; any other is not this page.
        return assessment_id if str(assessment_id) == text else None


def body_entry_read_with_session(request: HttpRequest, assessment_id: uuid.UUID) -> object:
    """For the result view, after its ownership check: the cache's entry for this result's body
    as read with the browser session (None: nothing there), or page_cache.NOT_READ. Taken from
    the request, so it is used once."""
    read_id, entry = request.__dict__.pop(_ATTRIBUTE, (None, None))
    return entry if read_id == assessment_id else page_cache.NOT_READ
