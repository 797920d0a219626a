"""Private links: a long random token that opens one result and its sharing controls.

The token is 32 random bytes (43 URL-safe characters); only its SHA-256 is kept. Making a new
link revokes the result's earlier ones, so there is one way back at a time.
"""

import hashlib
import secrets

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from assessments.models import Assessment
from clinics.models import PrivateLink
from outbox.services import outgoing_emails_forget
from scalpsafe.emails import email_send_later

TOKEN_BYTES = 32


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def private_link_path(token: str) -> str:
    """Where a private link opens: /r/<token>/ (redacted in every log, clinics/log_redaction)."""
    return reverse("clinics:open_private_link", args=[token])


def private_link_email_send(*, assessment: Assessment, to: str, token: str) -> None:
    """Email the private link to `assessment` to the address the person gave; no health
    details in it. Still queued, the email is deleted with the result or when the link is
    revoked or replaced (`private_link_revoke`)."""
    email_send_later(
        to=[to],
        about=assessment.pk,
        subject="Your private link to your ScalpSafe result",
        body=(
            "Here is your private link to your ScalpSafe result and its sharing controls:\n\n"
            f"{settings.SITE_URL}{private_link_path(token)}\n\n"
            "Anyone who has this link can see the result, so keep it private. It works for as "
            "long as the result is kept, until you revoke it or make a new one.\n\n"
            "If you did not take a ScalpSafe assessment, you can ignore this email.\n"
        ),
    )


@transaction.atomic
def private_link_create(*, assessment: Assessment) -> str:
    """A new private link to `assessment`; returns the token (shown once, never stored)."""
    # Concurrent requests take turns on the result's row, so one link is left usable.
    Assessment.objects.select_for_update().only("pk").get(pk=assessment.pk)
    private_link_revoke(assessment=assessment)
    token = secrets.token_urlsafe(TOKEN_BYTES)
    link = PrivateLink(assessment=assessment, token_hash=token_hash(token))
    link.full_clean()
    link.save(force_insert=True)
    return token


@transaction.atomic
def private_link_revoke(*, assessment: Assessment) -> int:
    """Revoke every usable private link to `assessment`; returns how many.

    A private-link email still queued is deleted with it: it would carry a link that no longer
    works (and, on a new link, the person gets the new one)."""
    outgoing_emails_forget(about=[assessment.pk])
    return (
        PrivateLink.objects.usable().filter(assessment=assessment).update(revoked_at=timezone.now())
    )


def private_link_find(token: str) -> PrivateLink | None:
    """The usable link with this token, or None (unknown, revoked, or its result deleted)."""
    if not token or len(token) > 100:
        return None
    return (
        PrivateLink.objects.usable()
        .select_related("assessment")
        .filter(token_hash=token_hash(token))
        .first()
    )


# --- The browser session's grants ---------------------------------------------------------
# Opening a private link grants this browser session access to its result: the session keeps
# the link's id (never the token), and every access re-checks that the link is still usable,
# so revoking it, making a new one or deleting the result ends every browser's access at once.

_GRANTS = "clinics_private_links"
MAX_GRANTS = 20  # one browser opening many links keeps the latest


def private_link_grant(session, link: PrivateLink) -> None:
    granted = [pk for pk in session.get(_GRANTS, []) if pk != link.pk]
    session[_GRANTS] = [*granted, link.pk][-MAX_GRANTS:]


def private_link_granted_ids(session) -> list[int]:
    granted = session.get(_GRANTS, [])
    # `type(...) is int`: a bool is an int to isinstance, and no link's id.
    return [pk for pk in granted if type(pk) is int] if isinstance(granted, list) else []


def assessments_granted_by(granted: list[int]) -> Q | None:
    """A filter on Assessment: the results the private links `granted` (their ids, from a
    browser session: private_link_granted_ids) open while usable; None when there are none (a
    filter that matches nothing still costs a condition to build)."""
    if not granted:
        return None
    return Q(pk__in=PrivateLink.objects.usable().filter(pk__in=granted).values("assessment_id"))
