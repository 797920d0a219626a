"""What the questionnaire keeps in a person's browser session, in one place.

- consent: the agreement to the privacy notice for the questionnaire in progress, with the
  submission id that makes its final submit idempotent and, for a questionnaire started from a
  clinic's link, the clinic its notice named (so it ends, and is cleared, with the consent:
  on Start over, after the final submit, or when another questionnaire is agreed to);
- anonymous owner: a random reference that ties anonymous assessments to this browser session;
- submitted: the last few submission ids and the assessment each one saved, so a replayed final
  submit goes to the saved result instead of starting again;
- a private link to offer: after a clinic questionnaire's final submit without an account, the
  result page makes and shows a private link once (see clinics/clinic_link.py).
"""

import secrets
import uuid
from datetime import datetime
from typing import TYPE_CHECKING

from django.contrib.sessions.backends.base import SessionBase
from django.utils import timezone

from assessments import privacy_notice

if TYPE_CHECKING:
    from clinics.models import Clinic

_CONSENT = "scalpsafe_consent"
_ANONYMOUS_OWNER = "scalpsafe_anonymous_owner"
_SUBMITTED = "scalpsafe_submitted"
_KEEP_SUBMITTED = 5
_PRIVATE_LINK_OFFER = "scalpsafe_new_private_link"


def give_consent(session: SessionBase, *, clinic: "Clinic | None" = None) -> None:
    """Agree to the notice for a new questionnaire (to `clinic`'s variant when given).

    The anonymous owner reference is made here, before any final submit: concurrent submits
    of the same questionnaire (a double click) must all save under the one reference the
    browser session keeps, or the saved result is lost to its owner.
    """
    ensure_anonymous_owner(session)
    session[_CONSENT] = {
        "at": timezone.now().isoformat(),
        "notice_version": privacy_notice.version(clinic_name=clinic.name if clinic else None),
        "submission_id": uuid.uuid4().hex,
        # The clinic the notice named, by id (what the final submit sends to) and by the name
        # the person read (what the questionnaire's pages show).
        "clinic": {"id": clinic.pk, "name": clinic.name} if clinic else None,
    }


def consent(session: SessionBase) -> dict | None:
    """The consent for the questionnaire in progress, or None (never agreed, or expired)."""
    return session.get(_CONSENT)


def end_consent(session: SessionBase) -> None:
    """Forget the agreement (and so the clinic) of the questionnaire in progress."""
    session.pop(_CONSENT, None)


def consent_clinic(session: SessionBase) -> dict | None:
    """{"id", "name"} of the clinic the questionnaire in progress is for, or None."""
    given = consent(session)
    return given.get("clinic") if given else None


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


def offer_private_link(session: SessionBase, assessment_id: uuid.UUID, email: str) -> None:
    """After the final submit: the result page makes a private link and shows it, once.

    Only the assessment (and where to email the link) is kept, not a token: concurrent final
    submits each write this same value, so whichever saves the browser session last, the offer
    is there, and the one page that takes it makes the one link.
    """
    session[_PRIVATE_LINK_OFFER] = {"assessment": str(assessment_id), "email": email}


def take_private_link_offer(session: SessionBase, assessment_id: uuid.UUID) -> dict | None:
    """The offer for `assessment_id` ({"email"}), removed from the browser session; or None."""
    offer = session.get(_PRIVATE_LINK_OFFER)
    if not offer or offer.get("assessment") != str(assessment_id):
        return None
    del session[_PRIVATE_LINK_OFFER]
    return offer
