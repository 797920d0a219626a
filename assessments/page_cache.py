"""The three rendered fragments kept in a cache (scalpsafe/settings.py `CACHES`).

- A blank questionnaire form (`step_form_html`), in the `forms` cache: each process's own
  memory, also with Redis. The step's fields with nothing filled in, the same for everyone and
  holding no one's data, so no host needs another's copy and none ever has to be deleted. Only
  the form's fields are kept: the page around it (the CSRF token, the step count, the header,
  any message or notice) is rendered for every request.
- A saved result's body (`result_body_html`), in the `pages` cache (Redis with REDIS_URL, so
  that a deletion reaches every host at once, as for the trend below): the same for every
  request of its owner, and used only after the ownership check (with REDIS_URL it is read
  from Redis together with the browser session, before the check: assessments/middleware.py;
  someone else's request gets its 404 and what was read is dropped). The live sharing panel is
  never in it (a marker stands in its place); deleting the result deletes its entry
  (`result_bodies_forget`), from the shared cache with REDIS_URL, so no worker or host keeps or
  serves it.
- A person's trend on "My assessments" (`trend_chart_html`: the chart, its table and "since
  last time"): kept with a digest of everything it is drawn from (read for each request), so
  it is served only while the person's assessments and checks are exactly those; deleting any
  of them deletes the entry (`trend_charts_forget`).

Every key or stamp holds what the HTML is made from besides the data: the code that renders it
(`code_version`: a hash of the templates, the Python source and the rendering packages), the
rulebook's version, the language and the time zone. A deployment that changes any of them, even
one host at a time beside older hosts sharing one Redis, never serves HTML made by other code.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable, Iterable
from importlib import metadata
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.utils import translation

from assessments import rulebook

# How long an entry lives. A result body for minutes (health data: no longer than it helps a
# person who reloads their result); a blank form for a day (entries of older code age out).
RESULT_BODY_SECONDS = 5 * 60
STEP_FORM_SECONDS = 24 * 60 * 60
# A person's trend chart as long as a result body: it is their health data too.
TREND_CHART_SECONDS = 5 * 60

_SOURCE_DIRS = ("templates", "assessments", "clinics", "outbox", "roller_sessions", "scalpsafe")
_RENDERING_PACKAGES = ("Django", "django-crispy-forms", "crispy-bootstrap5", "django-formtools")


@functools.cache
def code_version() -> str:
    """A short hash of everything that shapes the cached HTML besides the data: the templates,
    the Python source of the apps, and the versions of the packages that render forms."""
    digest = hashlib.sha256()
    base = Path(settings.BASE_DIR)
    for folder in _SOURCE_DIRS:
        for path in sorted((base / folder).rglob("*")):
            if path.suffix in (".py", ".html", ".txt") and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(base)).encode())
                digest.update(path.read_bytes())
    for package in _RENDERING_PACKAGES:
        digest.update(f"{package}={metadata.version(package)}".encode())
    return digest.hexdigest()[:16]


def _stamp() -> str:
    return ":".join(
        [code_version(), rulebook.VERSION, translation.get_language() or "", settings.TIME_ZONE]
    )


def step_form_key(step: str) -> str:
    return f"step-form:{_stamp()}:{step}"


def step_form_html(step: str, render: Callable[[], str]) -> str:
    """The blank form of `step`, from the cache or `render()` (then kept)."""
    key, forms = step_form_key(step), caches["forms"]
    html = forms.get(key)
    if html is None:
        html = render()
        forms.set(key, html, timeout=STEP_FORM_SECONDS)
    return html


def result_body_key(assessment_id) -> str:
    # One key per result, whatever the code version (the version is in the stored value), so
    # deleting it needs no version and removes what any release kept.
    return f"result-body:{assessment_id}"


# Stands for "the cache was not read yet" where None means "read: nothing there".
NOT_READ = object()


def result_body_html(assessment_id, render: Callable[[], str], *, entry: object = NOT_READ) -> str:
    """The result body of `assessment_id`, from the cache when it was rendered by this code,
    for this rulebook, language and time zone; else `render()` (then kept). `entry`: what the
    cache held under its key, when that was read already (with the browser session:
    assessments/middleware.py); else it is read here."""
    return _kept(result_body_key(assessment_id), _stamp(), render, RESULT_BODY_SECONDS, entry)


def result_bodies_forget(assessment_ids: Iterable) -> None:
    """Delete the cached bodies of these results: from Redis with REDIS_URL (every host at
    once); else from this process's memory (another process's copy is unreachable, as every
    page checks ownership in the database first, and expires within RESULT_BODY_SECONDS)."""
    _forget(result_body_key(i) for i in assessment_ids)


def trend_chart_key(owner_id) -> str:
    # One key per person, whatever the code or the data (both are in the stored value), so
    # deleting their data needs neither and removes what any release kept.
    return f"trend-chart:{owner_id}"


def trend_chart_html(owner_id, inputs, render: Callable[[], str]) -> str:
    """The trend section of `owner_id`'s "My assessments", from the cache when it was drawn
    from exactly these `inputs` (every value it shows; compared by a SHA-256 of their `repr`)
    by this code, for this rulebook, language and time zone; else `render()` (then kept).

    The inputs are the section's only data, so a section read from the cache is the one
    `render()` would draw now: an assessment or a check added, changed or deleted changes the
    inputs and it is drawn again. Only the view that read them for the signed-in person calls
    this.
    """
    stamp = f"{_stamp()}:{hashlib.sha256(repr(inputs).encode()).hexdigest()}"
    return _kept(trend_chart_key(owner_id), stamp, render, TREND_CHART_SECONDS)


def trend_charts_forget(owner_ids: Iterable) -> None:
    """Delete these people's cached trend charts (their assessments or checks were deleted):
    a chart never shows deleted rows anyway (its inputs changed), but deleted health data must
    not stay in a cache either. From Redis with REDIS_URL, else from this process's memory (as
    `result_bodies_forget`)."""
    _forget(trend_chart_key(i) for i in set(owner_ids) if i is not None)


def _kept(
    key: str, stamp: str, render: Callable[[], str], timeout: int, entry: object = NOT_READ
) -> str:
    """The HTML kept under `key` when it was stored with this `stamp` (what it was made from);
    else `render()`, then kept with the stamp for `timeout` seconds. One key per thing, whatever
    the stamp, so deleting it never needs to know how it was made. `entry`: the key's value if
    already read (None: nothing there)."""
    if entry is NOT_READ:
        entry = caches["pages"].get(key)
    if entry is not None and entry[0] == stamp:
        return entry[1]
    html = render()
    caches["pages"].set(key, (stamp, html), timeout=timeout)
    return html


def _forget(keys: Iterable[str]) -> None:
    keys = list(keys)
    if keys:
        caches["pages"].delete_many(keys)
