"""A questionnaire started from a clinic's link (/c/<slug>/): what its final submit sends, and
the private link given afterwards to a person without an account.

The clinic is chosen by agreeing to the notice that names it (assessments/views.py,
`consent_page`), kept with that consent in the questionnaire state, and asked about once more
at the end: the contact step (`CONTACT_STEP_KEY`, a `ContactForm`, not a rulebook question; its
details go only into the share).
"""

from django.db import transaction

from assessments.models import Assessment
from clinics.models import Clinic, PrivateLink, Share
from clinics.private_links import private_link_create
from clinics.services import AlreadySentElsewhere, ClinicUnavailable, share_send
from scalpsafe.emails import email_send_later

CONTACT_STEP_KEY = "contact"


def private_link_path(token: str) -> str:
    """Where a private link opens (the /r/<token>/ page of clinics/urls.py)."""
    return f"/r/{token}/"


def result_send_to_link_clinic(
    *, assessment: Assessment, clinic_id: int, contact: dict
) -> Share | None:
    """Send the just-saved `assessment` to the clinic whose link started the questionnaire.

    Call inside the final submit's transaction. Returns the share, or None when it could not
    be sent (the clinic was deactivated or removed since, or a replayed submit finds the result
    already with another clinic): the result is saved all the same, and can be sent elsewhere
    from its page.
    """
    clinic = Clinic.objects.filter(pk=clinic_id).first()
    if clinic is None:
        return None
    try:
        return share_send(assessment=assessment, clinic=clinic, contact=contact)
    except (ClinicUnavailable, AlreadySentElsewhere):
        return None


@transaction.atomic
def private_link_give_once(*, assessment: Assessment, email: str, site_url: str) -> str | None:
    """The private link offered after a clinic questionnaire's final submit; returns its token.

    Made when the result page first shows (not in the final submit, whose concurrent replays
    could each make one, revoking each other's, with the browser shown a revoked one), and only
    if the result has no usable link yet. When the person gave an email, the link is emailed
    too, with no health details. `site_url` is the site's address, e.g. "https://example.org".
    """
    # Two result pages opened at once take turns here: one link, one email.
    Assessment.objects.select_for_update().only("pk").get(pk=assessment.pk)
    if PrivateLink.objects.usable().filter(assessment=assessment).exists():
        return None
    token = private_link_create(assessment=assessment)
    if email:
        email_send_later(
            to=[email],
            subject="Your private link to your ScalpSafe result",
            body=_private_link_email(f"{site_url}{private_link_path(token)}"),
        )
    return token


def _private_link_email(url: str) -> str:
    # Nothing about the person's health: an email can be read by others.
    return (
        "Hello,\n\n"
        "Here is the private link to the result you saved on ScalpSafe, and to the controls "
        "for sharing it:\n\n"
        f"{url}\n\n"
        "Anyone who has this link can open that result, so keep it to yourself. It works for "
        "as long as the result is kept.\n\n"
        "If you did not take a ScalpSafe assessment, you can ignore this email.\n\n"
        "ScalpSafe\n"
    )
