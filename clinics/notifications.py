"""Telling a clinic that a result was sent to it: an email to its notification address,
queued in the caller's transaction (share_send's), naming no health details, only a link."""

from django.conf import settings
from django.urls import reverse

from assessments.rulebook import Disposition
from clinics.models import Share
from scalpsafe.emails import email_send_later

# The dispositions a clinic is told about at once; change and go-ahead wait in the queue.
NOTIFIED = frozenset({Disposition.URGENT, Disposition.STOP, Disposition.CONSULT})


def clinic_notify(*, share: Share, later_check: bool = False) -> None:
    """Queue the clinic's email for `share` (urgent, stop and consult only), in the caller's
    transaction. Email is not a private channel, so it says only that something was sent and
    where to read it (behind the clinic's sign-in): no disposition, due time, name or answer.

    `later_check`: a later check of a result already sent (rulebook section 6) raised it."""
    if share.disposition not in NOTIFIED:
        return
    link = settings.SITE_URL + share_admin_path(share)
    clinic = share.clinic.name
    what = "A later check of a result" if later_check else "A result"
    email_send_later(
        to=[share.clinic.notify_email],
        subject=f"{what} was sent to {clinic}",
        body=(
            f"{what} was sent to {clinic} through ScalpSafe and is in your clinic's queue.\n\n"
            f"Read it here (sign in as a member of {clinic}'s staff):\n{link}\n\n"
            "This email leaves out every detail on purpose: email is not private enough for "
            "health information.\n\n"
            "ScalpSafe\n"
        ),
    )


def share_admin_path(share: Share) -> str:
    """The share's page in the clinic's queue (the admin's change page)."""
    return reverse("admin:clinics_share_change", args=[share.pk])
