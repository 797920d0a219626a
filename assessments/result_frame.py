"""The result page around the result, for someone signed out: rendered once per process for each
disposition and address, then kept, as the signed-out header is
(scalpsafe/templatetags/site_header.py).

For everyone signed out, assessments/result.html (in base.html) draws the same page around
every result of the same disposition: the title, the header, the buttons, the footer. Only the
result's id (in its delete link) differs, and the middle: the result itself (from its cache,
assessments/page_cache.py) and the live sharing panel, rendered on every request, never kept
here. Under load, rendering that page took about a quarter of the result page's time on
PostgreSQL (docs/performance.md, twenty-second sitting).

So the frame is rendered with a stand-in for the result (its id all zeros, its disposition and
label the real ones), and kept as text with two holes: the id and the middle. A frame read
anything else of the result, it would show blank, never another person's.

Rendered every time instead: signed in (the header's log-out form has a CSRF token, new on
every page), messages waiting to be shown (they are part of the page), with DEBUG on (an edit to
a template shows at once), and a frame that would draw a CSRF token (one browser's).
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from assessments.models import Assessment
from scalpsafe.templatetags.fixed_urls import _place

TEMPLATE = "assessments/result.html"
# Where the result and its sharing panel go; no page writes it otherwise.
_MIDDLE = "<!-- result-page-middle -->"
# Stands in for the result's id; no real id is all zeros (uuid4).
_STAND_IN_ID = str(uuid.UUID(int=0))
_HOLES = re.compile(f"({re.escape(_MIDDLE)}|{_STAND_IN_ID})")
_CSRF_FIELD = "csrfmiddlewaretoken"
# (disposition, scheme, host, script prefix, URL configuration) -> the frame's pieces. The host
# comes from the request (one of ALLOWED_HOSTS), so the entries are capped: past the cap, a
# frame is rendered, not kept.
_kept: dict[tuple, tuple[str, ...]] = {}
_MOST_KEPT = 256


@dataclass(frozen=True)
class _StandIn:
    """What result.html reads of the result: its id, disposition and label."""

    id: uuid.UUID
    disposition: str
    disposition_label: str


def result_page(request: HttpRequest, assessment: Assessment, middle: str) -> str:
    """The result page's HTML: `assessment`'s frame around `middle` (safe HTML: the result and
    its sharing panel)."""
    key = _key(request, assessment)
    pieces = _kept.get(key) if key is not None else None
    if pieces is None:
        if key is None:
            return render_to_string(TEMPLATE, _context(assessment, middle), request)
        pieces = _render_frame(request, assessment)
        if len(_kept) < _MOST_KEPT and _CSRF_FIELD not in "".join(pieces):
            _kept[key] = pieces
    holes = {_MIDDLE: middle, _STAND_IN_ID: str(assessment.id)}
    return "".join(holes.get(piece, piece) for piece in pieces)


def _key(request: HttpRequest, assessment: Assessment) -> tuple | None:
    """What the signed-out frame depends on, or None when the page must be rendered now."""
    if settings.DEBUG or request.user.is_authenticated or len(get_messages(request)):
        return None
    return (assessment.disposition, request.scheme, request.get_host(), *_place())


def _render_frame(request: HttpRequest, assessment: Assessment) -> tuple[str, ...]:
    stand_in = _StandIn(
        uuid.UUID(_STAND_IN_ID), assessment.disposition, assessment.disposition_label
    )
    return tuple(_HOLES.split(render_to_string(TEMPLATE, _context(stand_in, _MIDDLE), request)))


def _context(assessment, middle: str) -> dict:
    return {"assessment": assessment, "result_page_middle": mark_safe(middle)}  # noqa: S308 (ours)


def forget_kept_frames() -> None:
    _kept.clear()


@receiver(setting_changed)
def _forget_on_change(*, setting: str, **kwargs) -> None:
    # A test that swaps the URL configuration or the templates gets a new frame.
    if setting in ("ROOT_URLCONF", "TEMPLATES", "DEBUG", "INSTALLED_APPS", "STORAGES"):
        forget_kept_frames()
