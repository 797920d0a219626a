"""The result page around the result, for someone signed out: rendered once per process for each
disposition and address, then kept, as the signed-out header is
(scalpsafe/templatetags/site_header.py).

For everyone signed out, assessments/result.html (in base.html) draws the same page around
every result of the same disposition: the title, the header, the buttons, the footer. Only the
result's id (in its delete link) differs, and the middle: the result itself (from its cache,
assessments/page_cache.py) and the live sharing panel, rendered on every request, never kept
here. Rendering that page and its panel was about a quarter of the result page's cost under
load on PostgreSQL (docs/performance.md, twenty-second sitting).

So the frame is rendered with a stand-in for the result (its id all zeros, its disposition and
label the real ones), and kept as text with two holes: the id and the middle. Were the frame
to read anything else of the result, it would show blank, never another person's. Its
signed-out part may read of the request only the scheme and host (DEVELOPERS.md).

No frame (`frame_for` says None), and the page is rendered whole in one pass: signed in (the
header's log-out form has a CSRF token, new on every page), messages waiting to be shown (they
are part of the page), with DEBUG on (an edit to a template shows at once).
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
from scalpsafe.templatetags.fixed_urls import _STAND_IN, _place

TEMPLATE = "assessments/result.html"
# Where the result and its sharing panel go; no page writes it otherwise.
_MIDDLE = "<!-- result-page-middle -->"
# Stands in for the result's id: {% id_url %}'s own stand-in (all zeros, never a real uuid4).
_STAND_IN_ID = str(_STAND_IN)
_HOLES = re.compile(f"({re.escape(_MIDDLE)}|{_STAND_IN_ID})")
_CSRF_FIELD = "csrfmiddlewaretoken"
# (disposition, scheme, host, script prefix, URL configuration) -> the frame. The host comes
# from the request (any of ALLOWED_HOSTS, which may be a wildcard): past the cap, every kept
# frame is let go and kept again as pages are asked for.
_kept: dict[tuple, Frame] = {}
_MOST_KEPT = 256


@dataclass(frozen=True)
class Frame:
    """The page's text in pieces, the holes among them."""

    pieces: tuple[str, ...]

    def around(self, assessment: Assessment, middle: str) -> str:
        """The page of `assessment` with `middle` (safe HTML: the result and its panel)."""
        holes = {_MIDDLE: middle, _STAND_IN_ID: str(assessment.id)}
        return "".join(holes.get(piece, piece) for piece in self.pieces)


@dataclass(frozen=True)
class _StandIn:
    """What result.html reads of the result: its id, disposition and label."""

    id: uuid.UUID
    disposition: str
    disposition_label: str


def frame_for(request: HttpRequest, assessment: Assessment) -> Frame | None:
    """The kept frame for `assessment`'s page (rendered and kept if new), or None when the
    page must be rendered whole."""
    key = _key(request, assessment)
    if key is None:
        return None
    frame = _kept.get(key)
    if frame is None:
        frame = _render(request, assessment)
        if _CSRF_FIELD in "".join(frame.pieces):
            return None  # one browser's token: never kept, never served to another
        if len(_kept) >= _MOST_KEPT:
            _kept.clear()
        _kept[key] = frame
    return frame


def _key(request: HttpRequest, assessment: Assessment) -> tuple | None:
    """What the signed-out frame depends on, or None when the page must be rendered now."""
    if settings.DEBUG or request.user.is_authenticated or len(get_messages(request)):
        return None
    return (assessment.disposition, request.scheme, request.get_host(), *_place())


def _render(request: HttpRequest, assessment: Assessment) -> Frame:
    stand_in = _StandIn(_STAND_IN, assessment.disposition, assessment.disposition_label)
    context = {"assessment": stand_in, "result_page_middle": mark_safe(_MIDDLE)}  # noqa: S308
    return Frame(tuple(_HOLES.split(render_to_string(TEMPLATE, context, request))))


def forget_kept_frames() -> None:
    _kept.clear()


@receiver(setting_changed)
def _forget_on_change(*, setting: str, **kwargs) -> None:
    # A test that swaps the URL configuration, the templates or the static files' address gets
    # a new frame.
    if setting in (
        "ROOT_URLCONF",
        "TEMPLATES",
        "DEBUG",
        "INSTALLED_APPS",
        "STORAGES",
        "STATIC_URL",
        "STATIC_ROOT",
    ):
        forget_kept_frames()
