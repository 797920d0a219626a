"""The result page's two reads from Redis in one round trip: its browser session and its body.

With REDIS_URL the result page read Redis twice, one after the other: the browser session (as
the middleware below first looks at it), then, after the ownership check, the result's cached
body (assessments/page_cache.py). Each round trip costs a worker about a tenth of the page's CPU
(docs/performance.md, fourteenth sitting). Both keys are known before the view runs, the
session's from its cookie and the body's from the address, so this middleware reads them with
one MGET (scalpsafe/cached_db_sessions.py `load_with`).

The body read here is only ever used by the result view, after its ownership check, for the
same result (`result_body_read`): a request for someone else's result gets the 404 it always
got, and what was read is dropped with the request. The stamp check of page_cache still decides
whether the entry may be served. Without Redis (one machine, database sessions) the middleware
is left out at start-up.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import MiddlewareNotUsed
from django.http import HttpRequest, HttpResponse
from django.urls import get_script_prefix, reverse

from assessments import page_cache
from scalpsafe.cached_db_sessions import SessionStore

_RESULT_VIEW = "assessments:result"


class ResultBodyReadWithSession:
    def __init__(self, get_response) -> None:
        # Read from settings alone: the site is loaded in gunicorn's master, which must make no
        # cache client to hand down to its workers (tests/serving/test_gunicorn.py). Sessions
        # and result bodies on different servers are told apart on each read (`load_with`).
        if SessionStore.__module__ != settings.SESSION_ENGINE:
            raise MiddlewareNotUsed
        self.get_response = get_response
        # A result page's path is these two around its id (reversed once, with a stand-in id),
        # so telling one apart needs no second walk through the URL resolver. The path as
        # request.path_info has it: without the script prefix of a deployment under a sub-path.
        stand_in = uuid.UUID(int=0)
        path = "/" + reverse(_RESULT_VIEW, args=[stand_in])[len(get_script_prefix()) :]
        self._before, _stand_in, self._after = path.partition(str(stand_in))

    def __call__(self, request: HttpRequest) -> HttpResponse:
        assessment_id = self._result_page_of(request)
        if assessment_id is not None:
            entry = request.session.load_with(
                caches["pages"], page_cache.result_body_key(assessment_id)
            )
            request.result_body_read = (assessment_id, entry)
        return self.get_response(request)

    def _result_page_of(self, request: HttpRequest) -> uuid.UUID | None:
        """The result this request shows (a GET or HEAD of its page), else None."""
        path = request.path_info
        if request.method not in ("GET", "HEAD") or not (
            path.startswith(self._before) and path.endswith(self._after)
        ):
            return None
        text = path[len(self._before) : len(path) - len(self._after)]
        try:
            assessment_id = uuid.UUID(text)
        except ValueError:
            return None
        # Django's uuid converter takes only the canonical form; any other is not this page.
        return assessment_id if str(assessment_id) == text else None


def result_body_read(request: HttpRequest, assessment_id: uuid.UUID):
    """The cache's entry for this result's body as read with the browser session, or None (not
    read, or none there): for the result view, after its ownership check."""
    read_id, entry = getattr(request, "result_body_read", (None, None))
    return entry if read_id == assessment_id else None
