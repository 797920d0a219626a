"""What the questionnaire keeps in a person's browser session, in one place.

- consent: the agreement to the privacy notice for the questionnaire in progress, with the
  submission id that makes its final submit idempotent;
- anonymous owner: a random reference that ties anonymous assessments to this browser session;
- submitted: the last few submission ids and the assessment each one saved, so a replayed final
  submit goes to the saved result instead of starting again.
"""

import secrets
import uuid
from datetime import datetime

from django.contrib.sessions.backends.base import SessionBase
from django.utils import timezone

from assessments import privacy_notice

_CONSENT = "scalpsafe_consent"
_ANONYMOUS_OWNER = "scalpsafe_anonymous_owner"
_SUBMITTED = "scalpsafe_submitted"
_KEEP_SUBMITTED = 5


def give_consent(session: SessionBase) -> None:
    """Agree to the notice for a new questionnaire.

    The anonymous owner reference is made here, before any final submit: concurrent submits
    of the same questionnaire (a double click) must all save under the one reference the
    browser session keeps, or the saved result is lost to its owner.
    """
    ensure_anonymous_owner(session)
    session[_CONSENT] = {
        "at": timezone.now().isoformat(),
        "notice_version": privacy_notice.VERSION,
        "submission_id": uuid.uuid4().hex,
    }


def consent(session: SessionBase) -> dict | None:
    """The consent for the questionnaire in progress, or None (never agreed, or expired)."""
    return session.get(_CONSENT)


def consent_time(given: dict) -> datetime:
    return datetime.fromisoformat(given["at"])


def anonymous_owner(session: SessionBase) -> str:
    """The reference that ties anonymous assessments to this browser session ("" if none)."""
    return session.get(_ANONYMOUS_OWNER, "")


def ensure_anonymous_owner(session: SessionBase) -> str:
    if _ANONYMOUS_OWNER not in session:
        session[_ANONYMOUS_OWNER] = secrets.token_urlsafe(32)
    return session[_ANONYMOUS_OWNER]


def record_submission(
    session: SessionBase, submission_id: str, assessment_id: uuid.UUID, anonymous_owner: str
) -> None:
    """Remember the saved assessment and end this questionnaire's consent (the next one asks).

    `anonymous_owner` is the reference the saved row holds ("" for an account's): the browser
    session keeps that one, so whichever of several concurrent submits saves the session last,
    it still owns the result (even a questionnaire agreed to before the reference was made at
    consent, whose racing submits each made their own).
    """
    if anonymous_owner:
        session[_ANONYMOUS_OWNER] = anonymous_owner
    submitted = dict(session.get(_SUBMITTED, {}))
    submitted[submission_id] = str(assessment_id)
    session[_SUBMITTED] = dict(list(submitted.items())[-_KEEP_SUBMITTED:])
    session.pop(_CONSENT, None)


def submitted_assessment_id(session: SessionBase, submission_id: str | None) -> str | None:
    if not submission_id:
        return None
    return session.get(_SUBMITTED, {}).get(submission_id)
