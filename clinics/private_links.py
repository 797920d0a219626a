"""Private links: a long random token that opens one result and its sharing controls.

The token is 32 random bytes (43 URL-safe characters); only its SHA-256 is kept. Making a new
link revokes the result's earlier ones, so there is one way back at a time.
"""

import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from assessments.models import Assessment
from clinics.models import PrivateLink

TOKEN_BYTES = 32


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def private_link_create(*, assessment: Assessment) -> str:
    """A new private link to `assessment`; returns the token (shown once, never stored)."""
    private_link_revoke(assessment=assessment)
    token = secrets.token_urlsafe(TOKEN_BYTES)
    link = PrivateLink(assessment=assessment, token_hash=token_hash(token))
    link.full_clean()
    link.save(force_insert=True)
    return token


@transaction.atomic
def private_link_revoke(*, assessment: Assessment) -> int:
    """Revoke every usable private link to `assessment`; returns how many."""
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
